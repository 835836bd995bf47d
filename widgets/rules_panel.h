#pragma once

#include "repair/repair_plan.h"

#include <QWidget>

class QLabel;
class QListView;
class QToolButton;

namespace statescope {

class PlanModel;

// The repair plan in order: each rule described, a check box to enable it, move up/down (or drag within
// the list), edit (double-click or Enter) and delete. Edits are offered as whole new plans through
// planEdited() so the window makes them undoable; a plan the worker rejected shows its message here.
class RulesPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RulesPanel(QWidget* parent = nullptr);

    void setPlan(const RepairPlan& plan);
    void showError(const QString& message); // empty: none
    QString error() const;
    PlanModel* model() const { return m_model; }
    QListView* list() const { return m_list; }
    int currentRow() const;

public Q_SLOTS:
    void moveCurrent(int delta);
    void moveRule(int from, int to); // one undoable edit; the moved rule stays current
    void deleteCurrent();
    void editCurrent();

Q_SIGNALS:
    void planEdited(const statescope::RepairPlan& plan, const QString& text);
    void editRuleRequested(int row);

private:
    void updateButtons();

    PlanModel* m_model = nullptr;
    QListView* m_list = nullptr;
    QLabel* m_error = nullptr;
    QLabel* m_empty = nullptr;
    QToolButton* m_up = nullptr;
    QToolButton* m_down = nullptr;
    QToolButton* m_edit = nullptr;
    QToolButton* m_delete = nullptr;
};

} // namespace statescope
