#pragma once

#include "repair/suggestions.h"
#include "session/diff_tree_model.h"

#include <QMetaType>
#include <QObject>
#include <QVector>

namespace statescope {

class Session;

using SuggestionList = QVector<Suggestion>;

// Computes repair suggestions for the shown diff on the session's worker thread: for the source as the
// current plan leaves it, so accepted suggestions append to the plan.
class SuggestWorker : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

public Q_SLOTS:
    void run(quint64 job, const statescope::DiffSnapshot& snapshot);

Q_SIGNALS:
    void ready(quint64 job, const statescope::SuggestionList& suggestions);
    void failed(quint64 job, const QString& message);
};

// The GUI's handle: one suggestion job at a time; a newer request or a new diff drops an older result.
class SuggestJobs : public QObject
{
    Q_OBJECT
public:
    explicit SuggestJobs(Session* session, QObject* parent = nullptr);

    void request(const DiffSnapshot& snapshot);
    bool isRunning() const { return m_job != 0; }

Q_SIGNALS:
    // `plan` is the plan of the diff the suggestions were computed for: they apply after its rules.
    void ready(const statescope::SuggestionList& suggestions, const statescope::RepairPlan& plan);
    void failed(const QString& message);

private:
    SuggestWorker* m_worker = nullptr; // lives on the session's thread, deleted when it finishes
    quint64 m_nextJob = 1;
    quint64 m_job = 0;
    RepairPlan m_plan;
};

} // namespace statescope

Q_DECLARE_METATYPE(statescope::SuggestionList)
