#include "session.h"

#include <QMetaObject>

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
    const int index = static_cast<int>(side);
    const bool wasBusy = isBusy();
    const quint64 job = m_nextJob++;
    m_pending[index] = job;
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
    m_opened[side] = result;
    m_paths[side] = result.checkpoint->path();
    m_selected[side] = 0;
    for (int i = 0; side == 0 && !m_plan.sourceDict.isNull() && i < result.candidates.size(); ++i) {
        if (result.candidates[i].path == m_plan.sourceDict)
            m_selected[side] = i; // a reopened source keeps the state dict the plan is about
    }
    Q_EMIT checkpointOpened(static_cast<Side>(side));
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

void Session::reload(Side side)
{
    const QString path = m_paths[static_cast<int>(side)];
    if (!path.isEmpty())
        open(side, path);
}

void Session::swapSides()
{
    std::swap(m_opened[0], m_opened[1]);
    std::swap(m_paths[0], m_paths[1]);
    std::swap(m_selected[0], m_selected[1]);
    std::swap(m_pending[0], m_pending[1]);
    Q_EMIT sidesSwapped();
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
    if (!plan.sourceDict.isNull()) {
        const QVector<StateDict>& candidates = m_opened[0].candidates;
        for (int i = 0; i < candidates.size(); ++i) {
            if (candidates[i].path == plan.sourceDict)
                m_selected[0] = i;
        }
    }
    Q_EMIT planChanged();
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
    m_diff = snapshot;
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
