#include "checkpoint_worker.h"

#include "formats/checkpoint_loader.h"
#include "formats/format_error.h"

namespace statescope {

void CheckpointWorker::open(int side, quint64 job, const QString& path)
{
    try {
        OpenedCheckpoint result;
        result.checkpoint = openCheckpoint(path);
        result.candidates = findStateDicts(*result.checkpoint);
        Q_EMIT opened(side, job, result);
    } catch (const FormatError& e) {
        Q_EMIT failed(side, job, e.message());
    } catch (const std::bad_alloc&) {
        Q_EMIT failed(side, job, path + QLatin1String(": out of memory while reading"));
    }
}

} // namespace statescope
