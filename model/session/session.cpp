#include "session.h"

#include <QMetaObject>

namespace statescope {

Session::Session(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<OpenedCheckpoint>();
    m_thread.setObjectName(QStringLiteral("statescope-worker"));
    m_worker = new CheckpointWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &CheckpointWorker::opened, this, &Session::onOpened);
    connect(m_worker, &CheckpointWorker::failed, this, &Session::onFailed);
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
    if (m_pending[side] != job)
        return; // superseded
    m_pending[side] = 0;
    m_opened[side] = result;
    m_paths[side] = result.checkpoint->path();
    Q_EMIT checkpointOpened(static_cast<Side>(side));
    if (!isBusy())
        Q_EMIT busyChanged(false);
}

void Session::onFailed(int side, quint64 job, const QString& message)
{
    if (m_pending[side] != job)
        return;
    m_pending[side] = 0;
    Q_EMIT openFailed(static_cast<Side>(side), message);
    if (!isBusy())
        Q_EMIT busyChanged(false);
}

} // namespace statescope
