#include "value_jobs.h"

#include "session/snapshot_tensors.h"

#include "checkpoint/checkpoint.h"
#include "diff/tensor_view.h"
#include "diff/value_report.h"
#include "formats/format_error.h"
#include "session/session.h"
#include "tensor/tensor_engine.h"
#include "tensor/tensor_engine_loader.h"

#include <QCoreApplication>
#include <QMetaObject>

#include <cmath>
#include <limits>

namespace statescope {

PairStatistics pairStatistics(const DiffSnapshot& snapshot, const QString& key, int bins, const std::atomic<bool>* cancel)
{
    PairStatistics out;
    out.key = key;
    out.bins = bins;
    const Checkpoint* files[2] = {snapshot.source.get(), snapshot.target.get()};
    const PyTensor* tensors[2] = {sourceFileTensor(snapshot, key), targetTensor(snapshot, key)};
    out.sides[0].key = snapshot.originalSourceKeys.value(key, key);
    out.sides[1].key = key;

    QString engineError;
    const TensorEngine* engine = tensorEngine(&engineError);
    TensorView views[2];
    MomentSums moments[2];
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    for (int s = 0; s < 2; ++s) {
        SideStatistics& side = out.sides[s];
        side.present = tensors[s] && files[s];
        if (!side.present)
            continue;
        if (!engine) {
            side.error = engineError;
            continue;
        }
        try {
            views[s] = tensorViewOf(*files[s], *tensors[s], side.key);
        } catch (const FormatError& e) {
            side.error = e.message();
            continue;
        }
        const EngineStatus status = engine->moments(views[s], ValueOptions(), &moments[s], cancel, {}, &side.error);
        if (status == EngineStatus::Cancelled) {
            out.cancelled = true;
            return out;
        }
        if (status == EngineStatus::Failed)
            continue;
        const MomentSums& m = moments[s];
        side.statistics = TensorStatistics::fromMoments(m, bins);
        side.ok = true;
        if (m.finite > 0) {
            lo = std::min(lo, m.min);
            hi = std::max(hi, m.max);
        }
    }
    if (lo > hi)
        return out; // no finite value on either side: empty histograms
    // torch.histc's own rule for an empty range.
    if (lo == hi) {
        lo -= 1;
        hi += 1;
    }
    out.histogramMin = lo;
    out.histogramMax = hi;
    for (int s = 0; s < 2; ++s) {
        SideStatistics& side = out.sides[s];
        side.statistics.histogramMin = lo;
        side.statistics.histogramMax = hi;
        if (!side.ok || moments[s].finite == 0)
            continue;
        QVector<qint64> counts;
        const EngineStatus status =
            engine->histogram(views[s], bins, lo, hi, ValueOptions(), &counts, cancel, {}, &side.error);
        if (status == EngineStatus::Cancelled) {
            out.cancelled = true;
            return out;
        }
        if (status == EngineStatus::Failed) {
            side.ok = false;
            continue;
        }
        side.statistics.histogram = counts;
    }
    return out;
}

void ValueWorker::compare(quint64 job, const DiffSnapshot& snapshot, const CancelFlag& cancel)
{
    auto result = std::make_shared<ValueDiffResult>();
    if (snapshot.verdict && snapshot.source && snapshot.target) {
        // compareValues throttles its progress to one call per 100 ms.
        const ValueProgress progress = [this, job](qint64 done, qint64 total) { Q_EMIT this->progress(job, done, total); };
        // With a plan, each key is compared as the export would write it (a cast, transposed or resized tensor
        // is computed); without one (snapshots made in tests) the view is the file.
        const QVector<ValuePair> pairs = valuePairsOf(*snapshot.verdict);
        if (snapshot.repaired)
            *result = compareRepairedValues(*snapshot.source, *snapshot.repaired, *snapshot.target,
                                            snapshot.targetDict.entries, pairs, ValueDiffOptions(), progress, cancel.get());
        else
            *result = statescope::compareValues(*snapshot.source, snapshot.sourceDict.entries, *snapshot.target,
                                                snapshot.targetDict.entries, pairs, ValueDiffOptions(), progress,
                                                cancel.get());
    }
    Q_EMIT compared(job, result);
}

void ValueWorker::statistics(quint64 job, const DiffSnapshot& snapshot, const QString& key, int bins, const CancelFlag& cancel)
{
    if (cancel->load())
        return; // superseded before it started: the GUI no longer waits for it
    Q_EMIT statisticsReady(job, pairStatistics(snapshot, key, bins, cancel.get()));
}

ValueJobs::ValueJobs(Session* session, QObject* parent) : QObject(parent), m_session(session)
{
    qRegisterMetaType<PairStatistics>();
    qRegisterMetaType<ValueDiffPtr>();
    session->startWorker(this, &m_worker);
    connect(m_worker, &ValueWorker::progress, this, &ValueJobs::onProgress);
    connect(m_worker, &ValueWorker::compared, this, &ValueJobs::onCompared);
    connect(m_worker, &ValueWorker::statisticsReady, this, &ValueJobs::onStatistics);
    // Any new diff makes the values stale.
    connect(session, &Session::diffReady, this, &ValueJobs::invalidate);
    // Opening a file queues behind a running comparison on the same thread: a user who opens something new
    // wants that, not the old comparison, so the session starting work stops it.
    connect(session, &Session::busyChanged, this, [this](bool busy) {
        if (busy)
            cancelCompare();
    });
    // Closing the window must not wait for a comparison of gigabytes.
    if (QCoreApplication::instance())
        connect(QCoreApplication::instance(), &QCoreApplication::aboutToQuit, this, &ValueJobs::invalidate);
}

ValueJobs::~ValueJobs()
{
    // The session's thread may still run our jobs; let them stop early (the worker outlives us).
    if (m_compareCancel)
        m_compareCancel->store(true);
    if (m_statisticsCancel)
        m_statisticsCancel->store(true);
}

void ValueJobs::compareValues(const DiffSnapshot& snapshot)
{
    if (m_compareCancel)
        m_compareCancel->store(true);
    const quint64 job = m_nextJob++;
    m_compareJob = job;
    m_compareCancel = std::make_shared<std::atomic<bool>>(false);
    if (!m_worker)
        return;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, job, snapshot, cancel = m_compareCancel] { worker->compare(job, snapshot, cancel); },
        Qt::QueuedConnection);
    Q_EMIT compareStarted();
}

void ValueJobs::cancelCompare()
{
    if (!m_compareJob)
        return;
    m_compareCancel->store(true);
    m_compareJob = 0;
    Q_EMIT compareCancelled();
}

void ValueJobs::requestStatistics(const DiffSnapshot& snapshot, const QString& key, int bins)
{
    if (m_statisticsCancel)
        m_statisticsCancel->store(true);
    const quint64 job = m_nextJob++;
    m_statisticsJob = job;
    m_statisticsCancel = std::make_shared<std::atomic<bool>>(false);
    if (!m_worker)
        return;
    QMetaObject::invokeMethod(
        m_worker,
        [worker = m_worker, job, snapshot, key, bins, cancel = m_statisticsCancel] {
            worker->statistics(job, snapshot, key, bins, cancel);
        },
        Qt::QueuedConnection);
}

void ValueJobs::invalidate()
{
    cancelCompare();
    if (m_statisticsCancel)
        m_statisticsCancel->store(true);
    m_statisticsJob = 0;
    if (m_values) {
        m_values.reset();
        Q_EMIT valuesInvalidated();
    }
}

void ValueJobs::onProgress(quint64 job, qint64 done, qint64 total)
{
    if (job == m_compareJob)
        Q_EMIT compareProgress(done, total);
}

void ValueJobs::onCompared(quint64 job, const ValueDiffPtr& values)
{
    if (job != m_compareJob)
        return; // cancelled, or superseded by a newer comparison or diff
    m_compareJob = 0;
    m_compareCancel.reset();
    if (!values->error.isEmpty()) {
        Q_EMIT compareFailed(values->error);
        return;
    }
    m_values = values;
    Q_EMIT compareFinished(values);
}

void ValueJobs::onStatistics(quint64 job, const PairStatistics& statistics)
{
    if (job != m_statisticsJob || statistics.cancelled)
        return;
    m_statisticsJob = 0;
    m_statisticsCancel.reset();
    Q_EMIT statisticsReady(statistics);
}

} // namespace statescope
