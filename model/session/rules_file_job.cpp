#include "rules_file_job.h"

#include "formats/format_error.h"
#include "session/session.h"

#include <QMetaObject>

namespace statescope {

void RulesFileWorker::save(quint64 job, const RepairPlan& plan, const QString& path)
{
    try {
        writeRepairPlan(plan, path);
    } catch (const FormatError& e) {
        Q_EMIT failed(job, e.message());
        return;
    }
    Q_EMIT saved(job, path, int(plan.rules.size()));
}

void RulesFileWorker::load(quint64 job, const QString& path)
{
    try {
        Q_EMIT loaded(job, readRepairPlan(path), path);
    } catch (const FormatError& e) {
        Q_EMIT failed(job, e.message());
    } catch (const std::bad_alloc&) {
        Q_EMIT failed(job, path + QLatin1String(": out of memory while reading the rules file"));
    }
}

RulesFileJobs::RulesFileJobs(Session* session, QObject* parent) : QObject(parent)
{
    qRegisterMetaType<RepairPlan>();
    session->startWorker(this, &m_worker);
    connect(m_worker, &RulesFileWorker::saved, this, [this](quint64 job, const QString& path, int ruleCount) {
        if (finish(job))
            Q_EMIT saved(path, ruleCount);
    });
    connect(m_worker, &RulesFileWorker::loaded, this,
            [this](quint64 job, const RepairPlan& plan, const QString& path) {
                if (finish(job))
                    Q_EMIT loaded(plan, path);
            });
    connect(m_worker, &RulesFileWorker::failed, this, [this](quint64 job, const QString& message) {
        if (finish(job))
            Q_EMIT failed(message);
    });
}

quint64 RulesFileJobs::start(quint64* current)
{
    if (!m_worker)
        return 0;
    *current = m_nextJob++;
    return *current;
}

bool RulesFileJobs::finish(quint64 job)
{
    if (job == m_save) {
        m_save = 0;
        return true;
    }
    if (job == m_load) {
        m_load = 0;
        return true;
    }
    return false;
}

void RulesFileJobs::save(const RepairPlan& plan, const QString& path)
{
    const quint64 job = start(&m_save);
    if (job == 0)
        return;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, job, plan, path] { worker->save(job, plan, path); },
        Qt::QueuedConnection);
}

void RulesFileJobs::load(const QString& path)
{
    const quint64 job = start(&m_load);
    if (job == 0)
        return;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, job, path] { worker->load(job, path); }, Qt::QueuedConnection);
}

} // namespace statescope
