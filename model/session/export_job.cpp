#include "export_job.h"

#include "checkpoint/checkpoint.h"
#include "diff/load_verdict.h"
#include "diff/target_model.h"
#include "export/exporter.h"
#include "formats/checkpoint_loader.h"
#include "formats/format_error.h"
#include "session/session.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QMetaObject>

namespace statescope {

namespace {

// The state dict of the written file that corresponds to the exported one: the container keeps it at the
// source's path; everything else (state dict only, safetensors, containerless sources) holds it at the root.
QString outputDictPath(const DiffSnapshot& snapshot, const ExportOptions& options)
{
    const bool containerless = !formatHasContainer(snapshot.source->format());
    if (options.format == ExportOptions::Format::SafeTensors || options.stateDictOnly || containerless)
        return QString(QLatin1String(""));
    return snapshot.originalSourceDict.path;
}

} // namespace

void ExportWorker::run(quint64 job, const DiffSnapshot& snapshot, const QString& out, const ExportOptions& options,
                       const std::shared_ptr<std::atomic<bool>>& cancel, const ExportProgressHook& hook)
{
    if (cancel->load()) {
        Q_EMIT cancelled(job);
        return;
    }
    try {
        if (!snapshot.source || !snapshot.target || !snapshot.repaired)
            throw FormatError(QStringLiteral("Open a source and a target before exporting"));
        // Progress at most every 50 ms: a queued signal per storage would flood the GUI for 100k tensors.
        QElapsedTimer throttle;
        throttle.start();
        const ExportProgress progress = [&](qint64 done, qint64 total) {
            if (hook)
                hook(done, total);
            if (done == total || throttle.elapsed() >= 50) {
                throttle.restart();
                Q_EMIT this->progress(job, done, total);
            }
        };
        ExportOutcome outcome;
        outcome.report = exportCheckpoint(*snapshot.source, snapshot.originalSourceDict, *snapshot.repaired,
                                          snapshot.target.get(), out, options, progress, cancel.get());
        if (outcome.report.cancelled) {
            Q_EMIT cancelled(job);
            return;
        }

        // The written file, judged as a new source with an empty plan: what a user's load_state_dict will see.
        const auto written = openCheckpoint(out);
        outcome.outputDict = outputDictPath(snapshot, options);
        const StateDict dict = selectStateDict(*written, outcome.outputDict);
        const TargetModel model = TargetModel::forCheckpoint(*snapshot.target, snapshot.targetDict);
        outcome.modelName = model.className().isEmpty() ? QStringLiteral("Model") : model.className();
        const auto verdict = computeLoadVerdict(dict, model, outcome.modelName);
        outcome.loadable = verdict->loadable;
        outcome.torchError = verdict->torchError;
        outcome.missing = int(verdict->missing.size());
        outcome.unexpected = int(verdict->unexpected.size());
        outcome.shapeMismatches = int(verdict->sizeMismatch.size());
        Q_EMIT finished(job, outcome);
    } catch (const FormatError& e) {
        Q_EMIT failed(job, e.message());
    } catch (const std::bad_alloc&) {
        Q_EMIT failed(job, out + QLatin1String(": out of memory while exporting"));
    }
}

ExportJob::ExportJob(Session* session, QObject* parent) : QObject(parent)
{
    qRegisterMetaType<ExportOutcome>();
    qRegisterMetaType<ExportOptions>();
    session->startWorker(this, &m_worker);
    connect(m_worker, &ExportWorker::progress, this, [this](quint64 job, qint64 done, qint64 total) {
        if (job == m_job)
            Q_EMIT progress(done, total);
    });
    connect(m_worker, &ExportWorker::finished, this, [this](quint64 job, const ExportOutcome& outcome) {
        if (job != m_job)
            return;
        m_job = 0;
        Q_EMIT finished(outcome);
    });
    connect(m_worker, &ExportWorker::failed, this, [this](quint64 job, const QString& message) {
        if (job != m_job)
            return;
        m_job = 0;
        Q_EMIT failed(message);
    });
    connect(m_worker, &ExportWorker::cancelled, this, [this](quint64 job) {
        if (job != m_job)
            return;
        m_job = 0;
        Q_EMIT cancelled();
    });
    // Quitting must not wait for gigabytes to be written: the atomic output removes what was begun.
    if (QCoreApplication::instance())
        connect(QCoreApplication::instance(), &QCoreApplication::aboutToQuit, this, &ExportJob::cancel);
}

ExportJob::~ExportJob()
{
    if (m_cancel)
        m_cancel->store(true);
}

bool ExportJob::start(const DiffSnapshot& snapshot, const QString& out, const ExportOptions& options)
{
    if (m_job != 0 || !m_worker)
        return false;
    m_job = m_nextJob++;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    QMetaObject::invokeMethod(
        m_worker,
        [worker = m_worker, job = m_job, snapshot, out, options, cancel = m_cancel, hook = m_hook] {
            worker->run(job, snapshot, out, options, cancel, hook);
        },
        Qt::QueuedConnection);
    Q_EMIT started();
    return true;
}

void ExportJob::cancel()
{
    // The worker reports the cancellation once the writer has removed its temp file, so that "cancelled"
    // means "nothing on disk".
    if (m_cancel)
        m_cancel->store(true);
}

} // namespace statescope
