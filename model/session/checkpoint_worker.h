#pragma once

#include "checkpoint/checkpoint.h"
#include "checkpoint/state_dict.h"
#include "session/diff_tree_model.h"

#include <QObject>
#include <QString>
#include <QVector>

#include <memory>

namespace statescope {

// What the GUI gets when a file has been opened: the immutable snapshot and its state-dict candidates.
struct OpenedCheckpoint
{
    std::shared_ptr<const Checkpoint> checkpoint;
    QVector<StateDict> candidates;
};

// Does every file access for a window. Lives on its own thread; the GUI talks to it through queued calls
// and gets immutable results back, so the GUI thread never reads a file.
class CheckpointWorker : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

public Q_SLOTS:
    void open(int side, quint64 job, const QString& path);
    // The key-level verdict of loading the source's state dict `sourceIndex` into the target's `targetIndex`.
    // `plan` is applied to the source's state dict first; a plan that cannot apply (two keys landing on one)
    // fails the job with the rule's message.
    void diff(quint64 job, const statescope::OpenedCheckpoint& source, int sourceIndex,
              const statescope::OpenedCheckpoint& target, int targetIndex, const statescope::RepairPlan& plan);

Q_SIGNALS:
    void opened(int side, quint64 job, const statescope::OpenedCheckpoint& result);
    void failed(int side, quint64 job, const QString& message);
    void diffReady(quint64 job, const statescope::DiffSnapshot& snapshot);
    void diffFailed(quint64 job, const QString& message);
};

} // namespace statescope

Q_DECLARE_METATYPE(statescope::OpenedCheckpoint)
Q_DECLARE_METATYPE(statescope::DiffSnapshot)
