#include "rules_panel.h"

#include "session/plan_model.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QToolButton>
#include <QVBoxLayout>

namespace statescope {

RulesPanel::RulesPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("QLabel { background: #fde2e1; color: #7a1712; padding: 3px; }"));
    m_error->hide();
    m_empty = new QLabel(tr("No rules yet: drag a source key onto a target key, use a row's context menu, or "
                            "Repair > Suggest."),
                         this);
    m_empty->setWordWrap(true);
    m_model = new PlanModel(this);
    m_list = new QListView(this);
    m_list->setModel(m_model);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setDragDropMode(QAbstractItemView::InternalMove);
    m_list->setDefaultDropAction(Qt::MoveAction);
    m_list->setDropIndicatorShown(true);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);

    auto* buttons = new QHBoxLayout;
    auto button = [this, buttons](const QString& text, const QString& tip, QKeySequence key, auto slot) {
        auto* b = new QToolButton(this);
        auto* action = new QAction(text, b);
        action->setToolTip(tip);
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, this, slot);
        b->setDefaultAction(action);
        addAction(action);
        buttons->addWidget(b);
        return b;
    };
    m_up = button(tr("Up"), tr("Apply this rule earlier (Ctrl+Up)"), QKeySequence(Qt::CTRL | Qt::Key_Up),
                  [this] { moveCurrent(-1); });
    m_down = button(tr("Down"), tr("Apply this rule later (Ctrl+Down)"), QKeySequence(Qt::CTRL | Qt::Key_Down),
                    [this] { moveCurrent(1); });
    m_edit = button(tr("Edit..."), tr("Change this rule (Enter, or double-click)"), QKeySequence(Qt::Key_Return),
                    [this] { editCurrent(); });
    m_delete = button(tr("Delete"), tr("Remove this rule (Delete)"), QKeySequence(QKeySequence::Delete),
                      [this] { deleteCurrent(); });
    buttons->addStretch(1);

    layout->addWidget(m_error);
    layout->addWidget(m_empty);
    layout->addWidget(m_list, 1);
    layout->addLayout(buttons);

    connect(m_model, &PlanModel::editRequested, this, &RulesPanel::planEdited);
    connect(m_model, &PlanModel::ruleMoveRequested, this, &RulesPanel::moveRule); // a drag within the list
    connect(m_list, &QListView::doubleClicked, this, [this](const QModelIndex& index) {
        Q_EMIT editRuleRequested(index.row());
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, &RulesPanel::updateButtons);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, &RulesPanel::updateButtons);
    updateButtons();
}

void RulesPanel::setPlan(const RepairPlan& plan)
{
    const int row = currentRow();
    m_model->setPlan(plan);
    if (row >= 0 && m_model->rowCount() > 0)
        m_list->setCurrentIndex(m_model->index(qMin(row, m_model->rowCount() - 1)));
    updateButtons();
}

void RulesPanel::showError(const QString& message)
{
    m_error->setText(message.isEmpty() ? QString() : tr("The plan cannot apply: %1. Undo (Ctrl+Z) or change the rule.").arg(message));
    m_error->setVisible(!message.isEmpty());
}

QString RulesPanel::error() const
{
    return m_error->isVisible() ? m_error->text() : QString();
}

int RulesPanel::currentRow() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void RulesPanel::moveCurrent(int delta)
{
    const int from = currentRow();
    const int to = from + delta;
    if (from < 0 || to < 0 || to >= m_model->rowCount())
        return;
    moveRule(from, to);
}

void RulesPanel::moveRule(int from, int to)
{
    Q_EMIT planEdited(m_model->plan().withRuleMoved(from, to), tr("Move rule %1 to %2").arg(from + 1).arg(to + 1));
    m_list->setCurrentIndex(m_model->index(to));
}

void RulesPanel::deleteCurrent()
{
    const int row = currentRow();
    if (row < 0)
        return;
    Q_EMIT planEdited(m_model->plan().withoutRule(row),
                      tr("Delete rule: %1").arg(PlanModel::describe(m_model->plan().rules.at(row))));
}

void RulesPanel::editCurrent()
{
    const int row = currentRow();
    if (row >= 0)
        Q_EMIT editRuleRequested(row);
}

void RulesPanel::updateButtons()
{
    const int row = currentRow();
    const int rows = m_model->rowCount();
    m_empty->setVisible(rows == 0);
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row + 1 < rows);
    m_edit->setEnabled(row >= 0);
    m_delete->setEnabled(row >= 0);
}

} // namespace statescope
