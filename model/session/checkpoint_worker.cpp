#include "checkpoint_worker.h"

#include "diff/load_verdict.h"
#include "diff/target_model.h"
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

void CheckpointWorker::diff(quint64 job, const OpenedCheckpoint& source, int sourceIndex, const OpenedCheckpoint& target,
                            int targetIndex)
{
    try {
        DiffSnapshot snapshot;
        snapshot.source = source.checkpoint;
        snapshot.target = target.checkpoint;
        snapshot.sourceDict = source.candidates.value(sourceIndex);
        snapshot.targetDict = target.candidates.value(targetIndex);
        const TargetModel model = TargetModel::forCheckpoint(*target.checkpoint, snapshot.targetDict);
        const QString name = model.className().isEmpty() ? QStringLiteral("Model") : model.className();
        snapshot.modelName = name;
        snapshot.verdict = computeLoadVerdict(snapshot.sourceDict, model, name);
        Q_EMIT diffReady(job, snapshot);
    } catch (const FormatError& e) {
        Q_EMIT diffFailed(job, e.message());
    } catch (const std::bad_alloc&) {
        Q_EMIT diffFailed(job, QStringLiteral("out of memory while comparing"));
    }
}

} // namespace statescope
