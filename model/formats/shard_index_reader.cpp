// PLACEHOLDER: the shard index reader is being written; this file is replaced, not kept.
#include "readers.h"

#include "checkpoint/checkpoint.h"
#include "format_error.h"

namespace statescope {

PyObject* readShardIndex(Checkpoint& checkpoint, int)
{
    throw FormatError(checkpoint.path() + QLatin1String(": shard index files are not supported yet"));
}

} // namespace statescope
