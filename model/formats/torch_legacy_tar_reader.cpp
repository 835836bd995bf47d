// PLACEHOLDER: the legacy torch tar reader is being written; this file is replaced, not kept.
#include "readers.h"

#include "checkpoint/checkpoint.h"
#include "format_error.h"

namespace statescope {

PyObject* readTorchLegacyTar(Checkpoint& checkpoint, int)
{
    throw FormatError(checkpoint.path() + QLatin1String(": legacy torch tar files are not supported yet"));
}

} // namespace statescope
