#pragma once

#include "repair/repair_plan.h"

#include <QUndoCommand>

namespace statescope {

class Session;

// One edit of the repair plan: holds the plan before and after, and hands the session the one to show.
// The session re-runs the key-level diff on its worker either way; a plan the worker rejects stays on the
// stack so that undo brings the last good plan back.
class PlanCommand : public QUndoCommand
{
public:
    PlanCommand(Session* session, RepairPlan before, RepairPlan after, const QString& text);

    void undo() override;
    void redo() override;
    const RepairPlan& before() const { return m_before; }
    const RepairPlan& after() const { return m_after; }

private:
    Session* m_session = nullptr;
    RepairPlan m_before;
    RepairPlan m_after;
};

} // namespace statescope
