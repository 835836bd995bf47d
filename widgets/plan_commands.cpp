#include "plan_commands.h"

#include "session/session.h"

namespace statescope {

PlanCommand::PlanCommand(Session* session, RepairPlan before, RepairPlan after, const QString& text)
    : QUndoCommand(text), m_session(session), m_before(std::move(before)), m_after(std::move(after))
{
}

void PlanCommand::undo()
{
    m_session->setPlan(m_before);
}

void PlanCommand::redo()
{
    m_session->setPlan(m_after);
}

} // namespace statescope
