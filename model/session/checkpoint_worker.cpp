#include "checkpoint_worker.h"

#include "diff/load_verdict.h"
#include "diff/target_model.h"
#include "formats/checkpoint_loader.h"
#include "formats/format_error.h"
#include "repair/apply_plan.h"

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
                            int targetIndex, const RepairPlan& plan)
{
    try {
        DiffSnapshot snapshot;
        snapshot.source = source.checkpoint;
        snapshot.target = target.checkpoint;
        snapshot.originalSourceDict = source.candidates.value(sourceIndex);
        snapshot.targetDict = target.candidates.value(targetIndex);
        snapshot.plan = plan;
        snapshot.repaired = plan.rules.isEmpty()
                                ? identityRepair(snapshot.originalSourceDict)
                                : applyPlan(plan, snapshot.originalSourceDict, &snapshot.targetDict);
        snapshot.sourceDict = plan.rules.isEmpty() ? snapshot.originalSourceDict : snapshot.repaired->view;
        for (const RepairedEntry& entry : snapshot.repaired->entries) {
            if (!entry.sourceKey.isEmpty() && entry.sourceKey != entry.key)
                snapshot.originalSourceKeys.insert(entry.key, entry.sourceKey);
        }
        const TargetModel model = TargetModel::forCheckpoint(*target.checkpoint, snapshot.targetDict);
        const QString name = model.className().isEmpty() ? QStringLiteral("Model") : model.className();
        snapshot.modelName = name;
        snapshot.verdict = computeLoadVerdict(snapshot.sourceDict, model, name);
        snapshot.tree = buildDiffTree(snapshot); // the GUI thread only swaps the rows in
        Q_EMIT diffReady(job, snapshot);
    } catch (const FormatError& e) {
        Q_EMIT diffFailed(job, e.message());
    } catch (const std::bad_alloc&) {
        Q_EMIT diffFailed(job, QStringLiteral("out of memory while comparing"));
    }
}

} // namespace statescope
