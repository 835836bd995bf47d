#pragma once

#include "session/diff_tree_model.h"
#include "tensor/tensor_values.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace statescope {

class Session;

// Statistics of one side of a row, and its histogram over the range both sides share.
struct SideStatistics
{
    bool present = false; // the row has a tensor on this side
    bool ok = false;
    QString error; // one line, when !ok and present
    QString key;   // the key in that side's state dict
    TensorStatistics statistics; // histogram, histogramMin and histogramMax are the common ones
};

// What the details panel plots for a row: both sides' statistics, with histograms of `bins` bins over the
// same range (the union of both sides' finite ranges, widened as torch.histc widens an empty one), so the
// two can be drawn over each other.
struct PairStatistics
{
    QString key; // the row (target key, or the source key for a source-only row)
    SideStatistics sides[2];
    int bins = 0;
    double histogramMin = 0;
    double histogramMax = 0;
    bool cancelled = false;
};

using ValueDiffPtr = std::shared_ptr<const ValueDiffResult>;
using CancelFlag = std::shared_ptr<std::atomic<bool>>;

// Computes a row's PairStatistics with the tensor engine: a moments pass per side, then a histogram pass per
// side over the common range. Runs on the calling thread.
PairStatistics pairStatistics(const DiffSnapshot& snapshot, const QString& key, int bins, const std::atomic<bool>* cancel);

// The value jobs' half on the session's worker thread.
class ValueWorker : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // Called on the worker's thread (queued from ValueJobs).
    void compare(quint64 job, const statescope::DiffSnapshot& snapshot, const statescope::CancelFlag& cancel);
    void statistics(quint64 job, const statescope::DiffSnapshot& snapshot, const QString& key, int bins,
                    const statescope::CancelFlag& cancel);

Q_SIGNALS:
    void progress(quint64 job, qint64 bytesDone, qint64 bytesTotal);
    void compared(quint64 job, const statescope::ValueDiffPtr& values);
    void statisticsReady(quint64 job, const statescope::PairStatistics& statistics);
};

// The GUI's handle on value comparison and per-row statistics. Jobs run on the session's worker thread;
// results come back through queued signals, and results of superseded or cancelled jobs are dropped. A new
// diff from the session (file reopened, state dict or plan changed) cancels both and forgets the values.
class ValueJobs : public QObject
{
    Q_OBJECT
public:
    explicit ValueJobs(Session* session, QObject* parent = nullptr);
    ~ValueJobs() override;

    // Compares every pair of the snapshot that torch would copy with equal shapes (valuePairsOf), each source
    // tensor as the export would write it under the snapshot's plan (compareRepairedValues).
    void compareValues(const DiffSnapshot& snapshot);
    // Stops the running comparison; its result, even a complete one, is dropped.
    void cancelCompare();
    bool isComparing() const { return m_compareJob != 0; }
    // The last finished comparison of the current diff (null before one, and after a new diff).
    ValueDiffPtr values() const { return m_values; }

    // Statistics of one row; a newer request cancels the older one.
    void requestStatistics(const DiffSnapshot& snapshot, const QString& key, int bins);
    // Cancels every job and forgets the values.
    void invalidate();

Q_SIGNALS:
    void compareStarted();
    void compareProgress(qint64 bytesDone, qint64 bytesTotal);
    // `values` belongs to the diff that was current when compareValues() was called, and still is.
    void compareFinished(const statescope::ValueDiffPtr& values);
    void compareCancelled();
    void compareFailed(const QString& message);
    void statisticsReady(const statescope::PairStatistics& statistics);
    void valuesInvalidated();

private:
    void onProgress(quint64 job, qint64 done, qint64 total);
    void onCompared(quint64 job, const ValueDiffPtr& values);
    void onStatistics(quint64 job, const PairStatistics& statistics);

    Session* m_session = nullptr;
    ValueWorker* m_worker = nullptr; // lives on the session's thread, deleted when it finishes
    quint64 m_nextJob = 1;
    quint64 m_compareJob = 0;
    quint64 m_statisticsJob = 0;
    CancelFlag m_compareCancel;
    CancelFlag m_statisticsCancel;
    ValueDiffPtr m_values;
};

} // namespace statescope

Q_DECLARE_METATYPE(statescope::PairStatistics)
Q_DECLARE_METATYPE(statescope::ValueDiffPtr)
