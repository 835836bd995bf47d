#include "suggest_job.h"

#include "diff/target_model.h"
#include "formats/format_error.h"
#include "session/session.h"

#include <QMetaObject>

namespace statescope {

void SuggestWorker::run(quint64 job, const DiffSnapshot& snapshot)
{
    try {
        const TargetModel model = TargetModel::forCheckpoint(*snapshot.target, snapshot.targetDict);
        Q_EMIT ready(job, suggest(snapshot.sourceDict, snapshot.targetDict, model));
    } catch (const FormatError& e) {
        Q_EMIT failed(job, e.message());
    } catch (const std::bad_alloc&) {
        Q_EMIT failed(job, QStringLiteral("out of memory while looking for repairs"));
    }
}

SuggestJobs::SuggestJobs(Session* session, QObject* parent) : QObject(parent)
{
    qRegisterMetaType<SuggestionList>();
    session->startWorker(this, &m_worker);
    connect(session, &Session::diffReady, this, [this] { m_job = 0; }); // suggestions for an older diff
    connect(m_worker, &SuggestWorker::ready, this, [this](quint64 job, const SuggestionList& suggestions) {
        if (job != m_job)
            return;
        m_job = 0;
        Q_EMIT ready(suggestions, m_plan);
    });
    connect(m_worker, &SuggestWorker::failed, this, [this](quint64 job, const QString& message) {
        if (job != m_job)
            return;
        m_job = 0;
        Q_EMIT failed(message);
    });
}

void SuggestJobs::request(const DiffSnapshot& snapshot)
{
    if (!m_worker || !snapshot.verdict)
        return;
    const quint64 job = m_nextJob++;
    m_job = job;
    m_plan = snapshot.plan;
    DiffSnapshot copy = snapshot;
    copy.tree.reset(); // the rows belong to the GUI's model (value comparisons change them in place)
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, job, copy] { worker->run(job, copy); },
                              Qt::QueuedConnection);
}

} // namespace statescope
