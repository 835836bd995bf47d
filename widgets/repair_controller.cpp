#include "repair_controller.h"

#include "checkpoint/pyobject.h"
#include "checkpoint/state_dict.h"
#include "checkpoint_pane.h"
#include "key_drag.h"
#include "main_window.h"
#include "plan_commands.h"
#include "repair/python_snippet.h"
#include "rule_dialog.h"
#include "rules_panel.h"
#include "session/diff_tree_model.h"
#include "session/plan_model.h"
#include "session/rules_file_job.h"
#include "session/suggest_job.h"
#include "suggestions_dialog.h"

#include <QAction>
#include <QClipboard>
#include <QCompleter>
#include <QDockWidget>
#include <QFileDialog>
#include <QGuiApplication>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QToolBar>
#include <QTreeView>
#include <QUndoStack>

namespace statescope {

namespace {

using Op = RepairRule::Op;

// The menu bar's menu with this title; a new one goes before `before` (or at the end).
QMenu* menuNamed(QMenuBar* bar, const QString& title, QAction* before = nullptr)
{
    const QString plain = QString(title).remove(QLatin1Char('&'));
    for (QAction* action : bar->actions()) {
        if (action->menu() && action->text().remove(QLatin1Char('&')) == plain)
            return action->menu();
    }
    auto* menu = new QMenu(title, bar);
    bar->insertMenu(before, menu);
    return menu;
}

RepairRule ruleWithPattern(Op op, const QString& pattern)
{
    RepairRule r;
    r.op = op;
    r.pattern = pattern;
    return r;
}

// The source's keys as the plan leaves them, for the "from" of a map: the unexpected ones first (torch's
// order), as a missing key most likely comes from one of them, then every other key in the dict's order.
QStringList sourceKeyChoices(const DiffSnapshot& snapshot)
{
    QStringList keys;
    QSet<QString> listed;
    if (snapshot.verdict) {
        keys = snapshot.verdict->unexpected;
        listed = QSet<QString>(keys.cbegin(), keys.cend());
    }
    forEachKey(snapshot.sourceDict, [&keys, &listed](const QString& key, const PyTensor*, const PyObject*) {
        if (!listed.contains(key)) {
            listed.insert(key);
            keys << key;
        }
    });
    return keys;
}

} // namespace

RepairController::RepairController(MainWindow* window) : QObject(window), m_window(window), m_session(window->session())
{
    m_undo = new QUndoStack(this);
    m_suggestJobs = new SuggestJobs(m_session, this);
    m_rulesFiles = new RulesFileJobs(m_session, this);

    m_panel = new RulesPanel(window);
    auto* dock = new QDockWidget(tr("Repair rules"), window);
    dock->setObjectName(QStringLiteral("repairRules"));
    dock->setWidget(m_panel);
    window->addDockWidget(Qt::BottomDockWidgetArea, dock);
    installMenus();
    QAction* showRules = dock->toggleViewAction();
    showRules->setText(tr("&Rules Panel"));
    menuNamed(window->menuBar(), tr("&Repair"))->addAction(showRules);

    connect(m_panel, &RulesPanel::planEdited, this, &RepairController::editPlan);
    connect(m_panel, &RulesPanel::editRuleRequested, this, [this](int row) {
        if (row >= 0 && row < m_session->plan().rules.size())
            openRuleDialog(m_session->plan().rules.at(row), row, QString(), QString());
    });
    connect(m_session, &Session::planChanged, this, [this] { m_panel->setPlan(m_session->plan()); });
    connect(m_session, &Session::diffReady, this, [this] { m_panel->showError(QString()); });
    connect(m_session, &Session::diffFailed, this, [this](const QString& message) {
        // A failed open is reported elsewhere; a failed diff with rules is the plan's fault.
        if (!m_session->plan().rules.isEmpty())
            m_panel->showError(message);
    });
    connect(m_suggestJobs, &SuggestJobs::ready, this, &RepairController::showSuggestions);
    connect(m_suggestJobs, &SuggestJobs::failed, this, &RepairController::showError);
    connect(m_rulesFiles, &RulesFileJobs::saved, this, [this](const QString& path, int ruleCount) {
        m_window->statusBar()->showMessage(tr("Saved %n rule(s) to %1", nullptr, ruleCount).arg(path), 5000);
        Q_EMIT rulesSaved(path);
    });
    connect(m_rulesFiles, &RulesFileJobs::loaded, this, [this](const RepairPlan& plan, const QString& path) {
        editPlan(plan, tr("Load rules from %1").arg(path));
        Q_EMIT rulesLoaded(path);
    });
    connect(m_rulesFiles, &RulesFileJobs::failed, this, [this](const QString& message) {
        showError(message);
        Q_EMIT rulesFailed(message);
    });

    for (Side side : {Side::Source, Side::Target}) {
        QTreeView* view = window->pane(side)->view();
        auto draggable = [this, side](const QModelIndex& row) {
            const QString key = row.data(DiffTreeModel::KeyRole).toString();
            const bool module = row.data(DiffTreeModel::IsModuleRole).toBool();
            if (key.isEmpty() || !m_session->diff().verdict)
                return false;
            return side == Side::Source ? sides().hasSource(key, module) : sides().hasTarget(key, module);
        };
        auto* handler = new KeyDragHandler(
            view, side, [this](const DraggedKey& d, const QModelIndex& onto) { return rowAccepts(d, onto); },
            draggable, this);
        m_drag[static_cast<int>(side)] = handler;
        connect(handler, &KeyDragHandler::keyDropped, this, &RepairController::mapRows);
        view->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(view, &QWidget::customContextMenuRequested, this, [this, side, view](const QPoint& pos) {
            QModelIndex row = view->indexAt(pos);
            if (!row.isValid())
                row = view->currentIndex(); // the menu key
            if (!row.isValid() || !m_session->diff().verdict)
                return;
            QMenu* menu = contextMenu(side, row, view);
            menu->exec(view->viewport()->mapToGlobal(view->visualRect(row).contains(pos) ? pos : view->visualRect(row).center()));
            menu->deleteLater();
        });
    }
}

RuleDialog* RepairController::ruleDialog() const
{
    return m_ruleDialog;
}

SuggestionsDialog* RepairController::suggestionsDialog() const
{
    return m_suggestionsDialog;
}

QMessageBox* RepairController::messageBox() const
{
    return m_message;
}

void RepairController::installMenus()
{
    QMenuBar* bar = m_window->menuBar();
    const QList<QAction*> top = bar->actions();
    QMenu* edit = menuNamed(bar, tr("&Edit"), top.size() > 1 ? top.at(1) : nullptr);
    QAction* undo = m_undo->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = m_undo->createRedoAction(this, tr("&Redo"));
    QList<QKeySequence> redoKeys{QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)};
    for (const QKeySequence& key : QKeySequence::keyBindings(QKeySequence::Redo)) {
        if (!redoKeys.contains(key))
            redoKeys << key;
    }
    redo->setShortcuts(redoKeys);
    edit->addAction(undo);
    edit->addAction(redo);

    QMenu* repair = menuNamed(bar, tr("&Repair"));
    m_suggest = repair->addAction(tr("&Suggest Repairs..."), this, &RepairController::suggest);
    m_suggest->setStatusTip(tr("Find prefixes, renames and fills that make the source load, with reasons"));
    repair->addSeparator();
    repair->addAction(tr("Sa&ve Rules..."), this, [this] {
        const QString path = QFileDialog::getSaveFileName(m_window, tr("Save Rules"), QString(),
                                                          tr("Rules (*.json);;All files (*)"));
        if (!path.isEmpty())
            saveRules(path);
    });
    repair->addAction(tr("&Load Rules..."), this, [this] {
        const QString path = QFileDialog::getOpenFileName(m_window, tr("Load Rules"), QString(),
                                                          tr("Rules (*.json);;All files (*)"));
        if (!path.isEmpty())
            loadRules(path);
    });
    m_copyPython = repair->addAction(tr("Copy as &Python"), this, &RepairController::copyAsPython);
    m_copyPython->setStatusTip(tr("Put a fix_state_dict(state_dict) function doing these rules on the clipboard"));
    repair->addSeparator();

    QToolBar* bar2 = m_window->addToolBar(tr("Repair"));
    bar2->setObjectName(QStringLiteral("repairBar"));
    bar2->addAction(m_suggest);
}

const DiffSides& RepairController::sides()
{
    const DiffSnapshot& snapshot = m_session->diff();
    if (m_sidesOf != snapshot.verdict) {
        m_sides = DiffSides(snapshot);
        m_sidesOf = snapshot.verdict;
    }
    return m_sides;
}

void RepairController::editPlan(const RepairPlan& plan, const QString& text)
{
    if (plan == m_session->plan())
        return;
    m_undo->push(new PlanCommand(m_session, m_session->plan(), plan, text));
}

bool RepairController::rowAccepts(const DraggedKey& dragged, const QModelIndex& onto)
{
    const QString key = onto.data(DiffTreeModel::KeyRole).toString();
    const bool module = onto.data(DiffTreeModel::IsModuleRole).toBool();
    if (key.isEmpty() || module != dragged.isModule || !m_session->diff().verdict)
        return false;
    if (dragged.side == Side::Source)
        return key != dragged.key && sides().hasTarget(key, module);
    return key != dragged.key && sides().hasSource(key, module);
}

void RepairController::mapRows(const DraggedKey& dragged, const QModelIndex& onto)
{
    const QString ontoKey = onto.data(DiffTreeModel::KeyRole).toString();
    const bool fromSource = dragged.side == Side::Source;
    const QString sourceKey = fromSource ? dragged.sourceKey : onto.data(DiffTreeModel::SourceKeyRole).toString();
    const QString current = fromSource ? dragged.key : ontoKey;
    const QString target = fromSource ? ontoKey : dragged.key;
    if (dragged.isModule)
        editPlan(planWithModuleMapped(m_session->plan(), current, target), tr("Map module %1 to %2").arg(current, target));
    else
        editPlan(planWithKeyMapped(m_session->plan(), sourceKey, current, target), tr("Map %1 to %2").arg(sourceKey, target));
}

QMenu* RepairController::contextMenu(Side side, const QModelIndex& row, QWidget* parent)
{
    Q_UNUSED(side);
    const QModelIndex first = row.siblingAtColumn(0);
    const QString key = first.data(DiffTreeModel::KeyRole).toString();
    const QString original = first.data(DiffTreeModel::SourceKeyRole).toString();
    const bool module = first.data(DiffTreeModel::IsModuleRole).toBool();
    const DiffSides& s = sides();
    const bool hasSource = s.hasSource(key, module);
    const bool hasTarget = s.hasTarget(key, module);
    const PyTensor* source = module ? nullptr : s.source(key);
    const PyTensor* target = module ? nullptr : s.target(key);
    const QString pattern = rowPattern(key, module);
    const RepairPlan plan = m_session->plan();

    auto* menu = new QMenu(parent);
    QAction* mapTo = menu->addAction(tr("&Map to..."), this, [this, key, original, module] {
        if (module) {
            RepairRule r = RepairRule::rename(rowPattern(key, true), key + QLatin1Char('.'));
            openRuleDialog(r, -1, QString(), QString());
            return;
        }
        openRuleDialog(RepairRule::map(key, QString()), -1, key, original);
    });
    mapTo->setEnabled(hasSource);
    // A key only the target has (missing): pick the source key that should fill it.
    menu->addAction(tr("Map &from..."), this, [this, key] {
        openRuleDialog(RepairRule::map(QString(), key), -1, QString(), QString());
    })->setEnabled(!module && hasTarget && !hasSource);
    menu->addSeparator();
    const QString prefix = module && !key.contains(QLatin1Char('.')) ? key + QLatin1Char('.') : leadingModulePrefix(key);
    menu->addAction(tr("&Strip Prefix..."), this, [this, prefix] {
        openRuleDialog(RepairRule::stripPrefix(prefix), -1, QString(), QString());
    })->setEnabled(!prefix.isEmpty());
    menu->addAction(tr("&Add Prefix..."), this, [this, prefix] {
        openRuleDialog(RepairRule::addPrefix(prefix), -1, QString(), QString());
    });
    menu->addAction(tr("Rename by &Regex..."), this, [this, key, module] {
        openRuleDialog(RepairRule::rename(rowPattern(key, module), module ? key + QLatin1Char('.') : key), -1,
                       QString(), QString());
    });
    menu->addSeparator();
    menu->addAction(tr("&Drop"), this, [this, pattern, key] {
        editPlan(m_session->plan().withRule(ruleWithPattern(Op::Drop, pattern)), tr("Drop %1").arg(key));
    })->setEnabled(hasSource);
    QMenu* cast = menu->addMenu(tr("&Cast to"));
    cast->setEnabled(hasSource);
    const QStringList dtypes = castDtypeChoices();
    for (const QString& dtype : dtypes) {
        const bool toTarget = dtype == QLatin1String("target");
        QAction* action = cast->addAction(toTarget ? tr("The Target's Dtype") : dtype, this, [this, pattern, dtype, key] {
            RepairRule r = ruleWithPattern(Op::Cast, pattern);
            r.dtype = dtype;
            editPlan(m_session->plan().withRule(r), tr("Cast %1 to %2").arg(key, dtype));
        });
        action->setEnabled(!toTarget || hasTarget);
    }
    menu->addAction(tr("&Transpose"), this, [this, pattern, key] {
        editPlan(m_session->plan().withRule(ruleWithPattern(Op::Transpose, pattern)), tr("Transpose %1").arg(key));
    })->setEnabled(source && source->shape.size() == 2);
    menu->addAction(tr("Take from Tar&get"), this, [this, pattern, key] {
        editPlan(m_session->plan().withRule(ruleWithPattern(Op::TakeFromTarget, pattern)),
                 tr("Take %1 from the target").arg(key));
    })->setEnabled(hasSource && hasTarget);
    menu->addAction(tr("Resi&ze..."), this, [this, pattern] {
        openRuleDialog(ruleWithPattern(Op::Resize, pattern), -1, QString(), QString());
    })->setEnabled(source && target && source->shape != target->shape);
    bool hasFill = false;
    for (const RepairRule& r : plan.rules)
        hasFill = hasFill || (r.enabled && r.op == Op::FillNumBatchesTracked);
    const bool missingCounter = (key.endsWith(QLatin1String("num_batches_tracked")) && !hasSource && hasTarget) ||
                                s.hasMissingNumBatchesTracked();
    menu->addAction(tr("&Fill num_batches_tracked"), this, [this] {
        editPlan(m_session->plan().withRule(RepairRule::fillNumBatchesTracked()), tr("Fill num_batches_tracked"));
    })->setEnabled(missingCounter && !hasFill);
    return menu;
}

// `replaceRow` >= 0 edits that rule of the plan; else the rule is added. A map prefilled with the row's
// current key (`prefilledFrom`) and left so goes through planWithKeyMapped, which re-points an earlier map.
void RepairController::openRuleDialog(const RepairRule& rule, int replaceRow, const QString& prefilledFrom,
                                      const QString& originalKey)
{
    if (m_ruleDialog)
        m_ruleDialog->deleteLater();
    auto* dialog = new RuleDialog(rule, m_window);
    m_ruleDialog = dialog;
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (rule.op == Op::Map) {
        dialog->setTargetKeys(sides().targetKeys());
        dialog->setSourceKeys(sourceKeyChoices(m_session->diff()));
    } else if (rule.op == Op::Rename) {
        QStringList modules;
        for (const QString& m : sides().targetModules())
            modules << m + QLatin1Char('.');
        auto* completer = new QCompleter(modules, dialog->replaceEdit());
        completer->setFilterMode(Qt::MatchContains);
        dialog->replaceEdit()->setCompleter(completer);
    }
    connect(dialog, &QDialog::accepted, this, [this, dialog, replaceRow, prefilledFrom, originalKey] {
        const RepairRule r = dialog->rule();
        const RepairPlan& plan = m_session->plan();
        if (replaceRow >= 0) {
            if (replaceRow < plan.rules.size())
                editPlan(plan.withRuleReplaced(replaceRow, r), tr("Edit rule %1").arg(replaceRow + 1));
        } else if (r.op == Op::Map && !prefilledFrom.isEmpty() && r.from == prefilledFrom) {
            editPlan(planWithKeyMapped(plan, originalKey, prefilledFrom, r.to), tr("Map %1 to %2").arg(originalKey, r.to));
        } else if (r.op == Op::Map && sides().hasSource(r.from, false)) {
            // A key the source has now (picked in "Map from..."): as a drag of that row would map it.
            const QString original = m_session->diff().originalSourceKeys.value(r.from, r.from);
            editPlan(planWithKeyMapped(plan, original, r.from, r.to), tr("Map %1 to %2").arg(original, r.to));
        } else {
            editPlan(plan.withRule(r), PlanModel::describe(r));
        }
    });
    dialog->open();
}

void RepairController::suggest()
{
    if (!m_session->diff().verdict) {
        m_window->statusBar()->showMessage(tr("Open a source and a target first"), 5000);
        return;
    }
    m_window->statusBar()->showMessage(tr("Looking for repairs..."));
    m_suggestJobs->request(m_session->diff());
}

void RepairController::showSuggestions(const QVector<Suggestion>& suggestions, const RepairPlan& base)
{
    m_window->statusBar()->clearMessage();
    if (m_suggestionsDialog)
        m_suggestionsDialog->deleteLater();
    auto* dialog = new SuggestionsDialog(suggestions, m_window);
    m_suggestionsDialog = dialog;
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, base] {
        if (dialog->rules().isEmpty())
            return;
        // The suggestions were made for the source as `base` leaves it: they go after its rules.
        RepairPlan plan = base;
        plan.rules += dialog->rules();
        editPlan(plan, tr("Accept %n suggestion(s)", nullptr, dialog->acceptedCount()));
    });
    dialog->open();
    Q_EMIT suggestionsShown();
}

void RepairController::showError(const QString& message)
{
    if (m_message)
        m_message->deleteLater();
    auto* box = new QMessageBox(QMessageBox::Warning, tr("StateScope"), message, QMessageBox::Ok, m_window);
    box->setAttribute(Qt::WA_DeleteOnClose);
    m_message = box;
    box->open();
}

void RepairController::saveRules(const QString& path)
{
    m_rulesFiles->save(m_session->plan(), path);
}

void RepairController::loadRules(const QString& path)
{
    m_rulesFiles->load(path);
}

void RepairController::copyAsPython()
{
    QGuiApplication::clipboard()->setText(pythonFixFunction(m_session->plan()));
    m_window->statusBar()->showMessage(tr("fix_state_dict(state_dict, target_state_dict=None) is on the clipboard"), 5000);
}

} // namespace statescope
