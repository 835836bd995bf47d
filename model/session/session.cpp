#include "session.h"
#include "session/dispose_later.h"

#include <QMetaObject>

#include <utility>

namespace statescope {

Session::Session(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<OpenedCheckpoint>();
    qRegisterMetaType<DiffSnapshot>();
    m_thread.setObjectName(QStringLiteral("statescope-worker"));
    m_worker = new CheckpointWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &CheckpointWorker::opened, this, &Session::onOpened);
    connect(m_worker, &CheckpointWorker::failed, this, &Session::onFailed);
    connect(m_worker, &CheckpointWorker::diffReady, this, &Session::onDiffReady);
    connect(m_worker, &CheckpointWorker::diffFailed, this, &Session::onDiffFailed);
    m_thread.start();
}

Session::~Session()
{
    m_thread.quit();
    m_thread.wait();
}

void Session::open(Side side, const QString& path)
{
    openFile(side, path, std::nullopt);
}

void Session::openFile(Side side, const QString& path, const std::optional<QString>& keepDict)
{
    const int index = static_cast<int>(side);
    const bool wasBusy = isBusy();
    const quint64 job = m_nextJob++;
    m_pending[index] = job;
    m_keepDict[index] = keepDict;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, index, job, path] { worker->open(index, job, path); },
                              Qt::QueuedConnection);
    if (!wasBusy)
        Q_EMIT busyChanged(true);
}

void Session::onOpened(int side, quint64 job, const OpenedCheckpoint& result)
{
    if (m_pending[side] != job && m_pending[1 - side] == job)
        side = 1 - side; // the sides were swapped while the file was opening
    if (m_pending[side] != job)
        return; // superseded
    m_pending[side] = 0;
    disposeLater(std::exchange(m_opened[side], result)); // a big file's objects take long to free
    m_paths[side] = result.checkpoint->path();
    m_selected[side] = defaultStateDict(side, result.candidates);
    // A reload keeps the chosen state dict by its path in the container: an index would pick another dict
    // when the training run added or reordered entries.
    const std::optional<QString> keep = std::exchange(m_keepDict[side], std::nullopt);
    bool kept = !keep;
    for (int i = 0; keep && i < result.candidates.size(); ++i) {
        if (result.candidates[i].path == *keep) {
            m_selected[side] = i;
            kept = true;
        }
    }
    Q_EMIT checkpointOpened(static_cast<Side>(side));
    if (!result.candidates.isEmpty()) {
        Q_EMIT stateDictSelected(static_cast<Side>(side), m_selected[side]);
        if (!kept)
            Q_EMIT stateDictLost(static_cast<Side>(side), *keep, result.candidates[m_selected[side]].path);
    }
    startDiff();
    if (!isBusy())
        Q_EMIT busyChanged(false);
}

void Session::onFailed(int side, quint64 job, const QString& message)
{
    if (m_pending[side] != job && m_pending[1 - side] == job)
        side = 1 - side;
    if (m_pending[side] != job)
        return;
    m_pending[side] = 0;
    Q_EMIT openFailed(static_cast<Side>(side), message);
    if (!isBusy())
        Q_EMIT busyChanged(false);
}

// The first candidate, or for the source the one the plan is about (a rules file names its source_dict).
int Session::defaultStateDict(int side, const QVector<StateDict>& candidates) const
{
    for (int i = 0; side == 0 && !m_plan.sourceDict.isNull() && i < candidates.size(); ++i) {
        if (candidates[i].path == m_plan.sourceDict)
            return i;
    }
    return 0;
}

void Session::reload(Side side)
{
    const int index = static_cast<int>(side);
    const QString path = m_paths[index];
    if (path.isEmpty())
        return;
    const QVector<StateDict>& candidates = m_opened[index].candidates;
    std::optional<QString> keep = m_keepDict[index]; // a reload still under way has not changed the choice
    if (m_selected[index] >= 0 && m_selected[index] < candidates.size())
        keep = candidates[m_selected[index]].path;
    openFile(side, path, keep);
}

void Session::swapSides()
{
    std::swap(m_opened[0], m_opened[1]);
    std::swap(m_paths[0], m_paths[1]);
    std::swap(m_selected[0], m_selected[1]);
    std::swap(m_pending[0], m_pending[1]);
    std::swap(m_keepDict[0], m_keepDict[1]);
    Q_EMIT sidesSwapped();
    for (Side side : {Side::Source, Side::Target}) {
        if (!m_opened[static_cast<int>(side)].candidates.isEmpty())
            Q_EMIT stateDictSelected(side, m_selected[static_cast<int>(side)]);
    }
    startDiff();
}

void Session::selectStateDict(Side side, int index)
{
    const int i = static_cast<int>(side);
    if (index < 0 || index >= m_opened[i].candidates.size() || index == m_selected[i])
        return;
    m_selected[i] = index;
    if (side == Side::Source)
        m_plan.sourceDict = m_opened[i].candidates[index].path; // a saved rules file remembers the choice
    startDiff();
}

void Session::setPlan(const RepairPlan& plan)
{
    m_plan = plan;
    const int before = m_selected[0];
    if (!plan.sourceDict.isNull()) {
        const QVector<StateDict>& candidates = m_opened[0].candidates;
        for (int i = 0; i < candidates.size(); ++i) {
            if (candidates[i].path == plan.sourceDict)
                m_selected[0] = i;
        }
    }
    Q_EMIT planChanged();
    if (m_selected[0] != before)
        Q_EMIT stateDictSelected(Side::Source, m_selected[0]);
    startDiff();
}

void Session::startDiff()
{
    const OpenedCheckpoint& source = m_opened[0];
    const OpenedCheckpoint& target = m_opened[1];
    if (!source.checkpoint || !target.checkpoint || source.candidates.isEmpty() || target.candidates.isEmpty())
        return;
    const bool wasBusy = isBusy();
    const quint64 job = m_nextJob++;
    m_pendingDiff = job;
    QMetaObject::invokeMethod(
        m_worker,
        [worker = m_worker, job, source, target, s = m_selected[0], t = m_selected[1], plan = m_plan] {
            worker->diff(job, source, s, target, t, plan);
        },
        Qt::QueuedConnection);
    if (!wasBusy)
        Q_EMIT busyChanged(true);
}

void Session::onDiffReady(quint64 job, const DiffSnapshot& snapshot)
{
    if (job != m_pendingDiff)
        return; // a newer file or state dict choice superseded this diff
    m_pendingDiff = 0;
    disposeLater(std::exchange(m_diff, snapshot));
    Q_EMIT diffReady();
    if (!isBusy())
        Q_EMIT busyChanged(false);
}

void Session::onDiffFailed(quint64 job, const QString& message)
{
    if (job != m_pendingDiff)
        return;
    m_pendingDiff = 0;
    Q_EMIT diffFailed(message);
    if (!isBusy())
        Q_EMIT busyChanged(false);
}

} // namespace statescope
