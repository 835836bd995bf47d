#pragma once

#include "session/checkpoint_worker.h"

#include <QObject>
#include <QThread>

#include <optional>

namespace statescope {

enum class Side { Source = 0, Target = 1 };

// The GUI's handle on the worker thread: numbers every job and drops results of jobs that a newer request
// for the same side has superseded (the user opened another file before the first finished).
class Session : public QObject
{
    Q_OBJECT
public:
    explicit Session(QObject* parent = nullptr);
    ~Session() override;

    void open(Side side, const QString& path);
    // Reads the side's file again (it changed on disk); the plan stays, and so does the chosen state dict
    // when the new file still has one at the same path in the container (else stateDictLost).
    void reload(Side side);
    // Source becomes target and target source (files, state-dict choices, pending opens); re-runs the diff.
    void swapSides();
    bool isBusy() const { return m_pending[0] != 0 || m_pending[1] != 0 || m_pendingDiff != 0; }
    // A diff is being computed: diff() is about to be replaced (or diffFailed comes).
    bool isDiffPending() const { return m_pendingDiff != 0; }
    const OpenedCheckpoint& opened(Side side) const { return m_opened[static_cast<int>(side)]; }
    QString path(Side side) const { return m_paths[static_cast<int>(side)]; }
    const QThread* workerThread() const { return &m_thread; }
    // Creates the worker object of a job handle (value comparison, suggestions, export, rules files) on this
    // session's thread: it is deleted when the thread ends, and *worker becomes null when the session goes,
    // so the handle never posts to a deleted worker.
    template <typename Worker>
    void startWorker(QObject* handle, Worker** worker)
    {
        *worker = new Worker;
        (*worker)->moveToThread(&m_thread);
        connect(&m_thread, &QThread::finished, *worker, &QObject::deleteLater);
        connect(this, &QObject::destroyed, handle, [worker] { *worker = nullptr; });
    }
    // Which state dict of each side the diff uses (index into its candidates); re-runs the diff.
    void selectStateDict(Side side, int index);
    int selectedStateDict(Side side) const { return m_selected[static_cast<int>(side)]; }
    const DiffSnapshot& diff() const { return m_diff; }
    // The repair plan applied to the source before every diff. Setting it re-runs the key-level diff on the
    // worker; a plan naming a source_dict selects that candidate when the source has it. A plan that cannot
    // apply ends in diffFailed (with the rule's message) and the previous diff stays shown.
    void setPlan(const RepairPlan& plan);
    const RepairPlan& plan() const { return m_plan; }

Q_SIGNALS:
    void checkpointOpened(statescope::Side side);
    void openFailed(statescope::Side side, const QString& message);
    void busyChanged(bool busy);
    void diffReady();
    void sidesSwapped();
    void planChanged();
    void diffFailed(const QString& message);
    // The session's state-dict choice for `side` changed without the user picking it (a file opened or
    // reloaded, sides swapped, a plan naming its source_dict), so the views can show the choice.
    void stateDictSelected(statescope::Side side, int index);
    // The reloaded file no longer has the state dict at `path` that was chosen; `fallback` is compared now.
    void stateDictLost(statescope::Side side, const QString& path, const QString& fallback);

private:
    void openFile(Side side, const QString& path, const std::optional<QString>& keepDict);
    int defaultStateDict(int side, const QVector<StateDict>& candidates) const;
    void onOpened(int side, quint64 job, const OpenedCheckpoint& result);
    void onFailed(int side, quint64 job, const QString& message);
    void startDiff();
    void onDiffReady(quint64 job, const DiffSnapshot& snapshot);
    void onDiffFailed(quint64 job, const QString& message);

    QThread m_thread;
    CheckpointWorker* m_worker = nullptr; // owned by m_thread's event loop, deleted when it finishes
    quint64 m_nextJob = 1;
    quint64 m_pending[2] = {0, 0};
    OpenedCheckpoint m_opened[2];
    QString m_paths[2];
    int m_selected[2] = {0, 0};
    // Per side, the path in the container of the state dict a pending reload keeps (none: a fresh open).
    std::optional<QString> m_keepDict[2];
    quint64 m_pendingDiff = 0;
    DiffSnapshot m_diff;
    RepairPlan m_plan;
};

} // namespace statescope
