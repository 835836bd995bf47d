#pragma once

#include "export/export_options.h"
#include "session/diff_tree_model.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace statescope {

class Session;

// What an export produced, and what torch would say when the target's model loads the written file: the
// output is opened again and diffed against the target with an empty plan, so the verdict is about the bytes
// on disk, not about the plan.
struct ExportOutcome
{
    ExportReport report;
    QString outputDict;       // the state dict of the written file the verdict is about ("" = root)
    QString modelName;
    bool loadable = false;
    QString torchError;       // str(RuntimeError) of load_state_dict(strict=True); empty when loadable
    int missing = 0;
    int unexpected = 0;
    int shapeMismatches = 0;
};

// Called on the worker thread after each storage written (tests cancel through it at a known point).
using ExportProgressHook = std::function<void(qint64 done, qint64 total)>;

// The export's half on the session's worker thread.
class ExportWorker : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

public Q_SLOTS:
    void run(quint64 job, const statescope::DiffSnapshot& snapshot, const QString& out,
             const statescope::ExportOptions& options, const std::shared_ptr<std::atomic<bool>>& cancel,
             const statescope::ExportProgressHook& hook);

Q_SIGNALS:
    void progress(quint64 job, qint64 done, qint64 total);
    void finished(quint64 job, const statescope::ExportOutcome& outcome);
    void failed(quint64 job, const QString& message);
    void cancelled(quint64 job);
};

// The GUI's handle on exporting the current diff's repaired source. One export at a time; it runs on the
// session's worker thread (so it queues behind a running open or diff and never overlaps a file the worker
// is reading), reports throttled byte progress, and can be cancelled. Whatever ends the export short of
// success (cancel, full disk, unwritable folder) leaves no file behind: the writers commit atomically.
class ExportJob : public QObject
{
    Q_OBJECT
public:
    explicit ExportJob(Session* session, QObject* parent = nullptr);
    ~ExportJob() override;

    // Starts exporting `snapshot` (its plan's result, from its chosen source state dict) to `out`. Returns
    // false when an export is already running.
    bool start(const DiffSnapshot& snapshot, const QString& out, const ExportOptions& options);
    void cancel();
    bool isRunning() const { return m_job != 0; }
    void setProgressHook(ExportProgressHook hook) { m_hook = std::move(hook); }

Q_SIGNALS:
    void started();
    void progress(qint64 done, qint64 total);
    void finished(const statescope::ExportOutcome& outcome);
    void failed(const QString& message); // one line
    void cancelled();

private:
    ExportWorker* m_worker = nullptr; // lives on the session's thread, deleted when it finishes
    quint64 m_nextJob = 1;
    quint64 m_job = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    ExportProgressHook m_hook;
};

} // namespace statescope

Q_DECLARE_METATYPE(statescope::ExportOutcome)
Q_DECLARE_METATYPE(statescope::ExportOptions)
