// PLACEHOLDER: the legacy torch stream reader is being written; this file is replaced, not kept.
#include "readers.h"

#include "checkpoint/checkpoint.h"
#include "format_error.h"

namespace statescope {

PyObject* readTorchLegacy(Checkpoint& checkpoint, int)
{
    throw FormatError(checkpoint.path() + QLatin1String(": legacy torch stream files are not supported yet"));
}

} // namespace statescope
