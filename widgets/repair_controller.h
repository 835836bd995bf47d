#pragma once

#include "repair/repair_plan.h"
#include "session/plan_edits.h"
#include "session/session.h"

#include <QObject>
#include <QPointer>

#include <memory>

class QAction;
class QMenu;
class QMessageBox;
class QModelIndex;
class QUndoStack;

namespace statescope {

class KeyDragHandler;
class MainWindow;
class RuleDialog;
class RulesFileJobs;
class RulesPanel;
class SuggestJobs;
class SuggestionsDialog;
struct DraggedKey;

// Interactive repair in the window: drag a key (or module) of one tree onto the other to map it, the rows'
// context menus, the rules dock, Suggest, save/load of rules files and "Copy as Python". Every change of
// the plan is one command on undoStack(); the session re-runs the key-level diff on its worker for each.
class RepairController : public QObject
{
    Q_OBJECT
public:
    explicit RepairController(MainWindow* window);

    QUndoStack* undoStack() const { return m_undo; }
    RulesPanel* rulesPanel() const { return m_panel; }
    KeyDragHandler* dragHandler(Side side) const { return m_drag[static_cast<int>(side)]; }
    QAction* suggestAction() const { return m_suggest; }
    QAction* copyPythonAction() const { return m_copyPython; }
    // The dialogs open window-modal without blocking; tests reach them here (null when none is open).
    RuleDialog* ruleDialog() const;
    SuggestionsDialog* suggestionsDialog() const;
    QMessageBox* messageBox() const;

    // Makes `plan` the session's plan as one undoable step named `text`.
    void editPlan(const RepairPlan& plan, const QString& text);
    // A row of one side dropped onto a row of the other: a map rule (keys) or a prefix rename (modules).
    void mapRows(const DraggedKey& dragged, const QModelIndex& onto);
    // The context menu of a row (an index of the views' model) on one side; the caller owns it.
    QMenu* contextMenu(Side side, const QModelIndex& row, QWidget* parent);

    void suggest();
    // Write or read the file on the session's worker; rulesSaved/rulesLoaded or rulesFailed (after a message
    // box) tell when it is done. A loaded plan becomes the session's plan as one undoable step; of two loads
    // in a row only the later one's plan is applied.
    void saveRules(const QString& path);
    void loadRules(const QString& path);
    void copyAsPython();

Q_SIGNALS:
    void suggestionsShown();
    void rulesSaved(const QString& path);
    void rulesLoaded(const QString& path);
    void rulesFailed(const QString& message);

private:
    const DiffSides& sides();
    bool rowAccepts(const DraggedKey& dragged, const QModelIndex& onto);
    void openRuleDialog(const RepairRule& rule, int replaceRow, const QString& prefilledFrom,
                        const QString& originalKey);
    void showSuggestions(const QVector<struct Suggestion>& suggestions, const RepairPlan& base);
    void showError(const QString& message);
    void installMenus();

    MainWindow* m_window = nullptr;
    Session* m_session = nullptr;
    QUndoStack* m_undo = nullptr;
    RulesPanel* m_panel = nullptr;
    SuggestJobs* m_suggestJobs = nullptr;
    RulesFileJobs* m_rulesFiles = nullptr;
    KeyDragHandler* m_drag[2] = {nullptr, nullptr};
    QAction* m_suggest = nullptr;
    QAction* m_copyPython = nullptr;
    QPointer<RuleDialog> m_ruleDialog;
    QPointer<SuggestionsDialog> m_suggestionsDialog;
    QPointer<QMessageBox> m_message;
    DiffSides m_sides;
    // The verdict m_sides was built for, held: a raw pointer could match a newer verdict allocated where a
    // freed one was, and then the menus and drops used the previous diff's sides.
    std::shared_ptr<const DiffResult> m_sidesOf;
};

} // namespace statescope
