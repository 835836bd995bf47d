// Interactive repair in the window: rows dragged from one tree onto the other through the views' own drop
// handling become map/rename rules, undo/redo restores plans and diffs, the rules panel reorders and
// disables, Suggest + accept makes the pair loadable, and what the window saves (rules file, Python snippet)
// does the same in real torch.
#include "checkpoint_pane.h"
#include "key_drag.h"
#include "main_window.h"
#include "repair_controller.h"
#include "rule_dialog.h"
#include "rules_panel.h"
#include "suggestions_dialog.h"
#include "session/diff_filter_model.h"
#include "session/diff_tree_model.h"
#include "session/plan_model.h"
#include "support/fixtures.h"
#include "support/window_test.h"

#include <QAction>
#include <QClipboard>
#include <QCompleter>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTreeView>
#include <QTreeWidget>
#include <QUndoStack>
#include <QtTest>

using namespace statescope;
using namespace statescope::test;

namespace {

const QString kSource = QStringLiteral("diff_prefix_module_source.pt");
const QString kTarget = QStringLiteral("diff_prefix_module_target.pt");

// The keys real torch reads from a file, in order.
QStringList torchKeys(const QString& file)
{
    const ProcessResult r = runPython(QStringLiteral("import sys, torch\n"
                                                     "for k in torch.load(sys.argv[1]).keys():\n"
                                                     "    print(k)\n"),
                                      {file});
    if (r.exitCode != 0)
        return {QString::fromUtf8(r.err)};
    return QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

// What real torch's load_state_dict(strict=False) on the fixture's Net reports for the source file with
// keys renamed as `renames` says: {"missing": [...], "unexpected": [...]} in torch's order.
QJsonObject torchLoadReport(const QString& file, const QHash<QString, QString>& renames)
{
    QJsonObject map;
    for (auto it = renames.cbegin(); it != renames.cend(); ++it)
        map.insert(it.key(), it.value());
    const ProcessResult r = runPython(
        QStringLiteral("import sys, json, torch\n"
                       "sys.path.insert(0, sys.argv[2])\n"
                       "from gen_diff_pairs import Net\n"
                       "renames = json.loads(sys.argv[3])\n"
                       "sd = {renames.get(k, k): v for k, v in torch.load(sys.argv[1]).items()}\n"
                       "r = Net().load_state_dict(sd, strict=False)\n"
                       "print(json.dumps({'missing': r.missing_keys, 'unexpected': r.unexpected_keys}))\n"),
        {file, QLatin1String(STATESCOPE_SOURCE_DIR "/tests/fixtures"),
         QString::fromUtf8(QJsonDocument(map).toJson(QJsonDocument::Compact))});
    if (r.exitCode != 0)
        return {{QStringLiteral("error"), QString::fromUtf8(r.err)}};
    return QJsonDocument::fromJson(r.out).object();
}

QStringList stringList(const QJsonValue& value)
{
    QStringList list;
    for (const QJsonValue& v : value.toArray())
        list << v.toString();
    return list;
}

// The completions a line edit offers, in order.
QStringList completions(QLineEdit* edit)
{
    QStringList list;
    if (!edit->completer())
        return list;
    const QAbstractItemModel* model = edit->completer()->model();
    for (int i = 0; i < model->rowCount(); ++i)
        list << model->index(i, 0).data().toString();
    return list;
}

// The actions of a context menu by their text without mnemonics.
QHash<QString, QAction*> menuActions(const QMenu* menu)
{
    QHash<QString, QAction*> actions;
    for (QAction* a : menu->actions())
        actions.insert(a->text().remove(QLatin1Char('&')), a);
    return actions;
}

struct DropResult
{
    bool moveAccepted = false;
    bool indicatorShown = false;
    bool dropAccepted = false;
};

} // namespace

class TestGuiRepair : public WindowTest
{
    Q_OBJECT
private:
    QStringList m_sourceKeys; // torch's
    QStringList m_targetKeys;

    // Sends what a drag of `dragged` over `onto` (a row of `target`) and a drop there would deliver.
    DropResult dropOn(Side targetSide, const QModelIndex& onto, const DraggedKey& dragged)
    {
        QTreeView* target = view(targetSide);
        target->scrollTo(onto);
        const QPoint pos = target->visualRect(onto).center();
        std::unique_ptr<QMimeData> mime(keyMimeData(dragged));
        const Qt::DropActions actions = Qt::LinkAction | Qt::CopyAction;
        QDragEnterEvent enter(pos, actions, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(target->viewport(), &enter);
        QDragMoveEvent move(pos, actions, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(target->viewport(), &move);
        DropResult result;
        result.moveAccepted = move.isAccepted();
        result.indicatorShown = repair()->dragHandler(targetSide)->indicatorVisible();
        QDropEvent drop(QPointF(pos), actions, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(target->viewport(), &drop);
        result.dropAccepted = drop.isAccepted();
        return result;
    }

    DraggedKey dragOf(Side side, const QString& key) const
    {
        const QModelIndex index = row(key);
        return repair()->dragHandler(side)->keyOf(index);
    }

    void resetPlan()
    {
        if (!session()->plan().rules.isEmpty())
            QVERIFY(waitForDiff([this] { repair()->editPlan(RepairPlan(), QStringLiteral("reset")); }));
        repair()->undoStack()->clear();
        repair()->rulesPanel()->showError(QString());
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_sourceKeys = torchKeys(fixture(kSource));
        m_targetKeys = torchKeys(fixture(kTarget));
        QVERIFY2(m_targetKeys.size() > 4, qPrintable(m_targetKeys.join(QLatin1Char(' '))));
        QCOMPARE(m_sourceKeys.size(), m_targetKeys.size());
        for (int i = 0; i < m_targetKeys.size(); ++i)
            QCOMPARE(m_sourceKeys[i], QLatin1String("module.") + m_targetKeys[i]); // DataParallel's prefix

        m_window = std::make_unique<MainWindow>();
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QVERIFY(waitForDiff([this] {
            m_window->openFile(Side::Source, fixture(kSource));
            m_window->openFile(Side::Target, fixture(kTarget));
        }));
        QTRY_VERIFY_WITH_TIMEOUT(session()->diff().verdict && !session()->isBusy(), 20000);
        QVERIFY(!session()->diff().verdict->loadable);
    }

    void init() { resetPlan(); view(Side::Source)->expandAll(); }

    void dragKeyOntoKey()
    {
        const QString targetKey = m_targetKeys.first();
        const QString sourceKey = m_sourceKeys.first();
        QCOMPARE(status(targetKey), RowStatus::Missing);
        QCOMPARE(status(sourceKey), RowStatus::Unexpected);
        const DraggedKey dragged = dragOf(Side::Source, sourceKey);
        QCOMPARE(dragged.key, sourceKey);
        QCOMPARE(dragged.sourceKey, sourceKey);
        QVERIFY(!dragged.isModule);

        // Not onto its own side, and not onto a module row.
        const DropResult ownSide = dropOn(Side::Source, row(m_sourceKeys.last()), dragged);
        QVERIFY(!ownSide.dropAccepted);
        const QString targetModule = targetKey.left(targetKey.lastIndexOf(QLatin1Char('.')));
        const DropResult ontoModule = dropOn(Side::Target, row(targetModule), dragged);
        QVERIFY(!ontoModule.moveAccepted);
        QVERIFY(!ontoModule.dropAccepted);
        QVERIFY(session()->plan().rules.isEmpty());

        DropResult result;
        QVERIFY(waitForDiff([&] { result = dropOn(Side::Target, row(targetKey), dragged); }));
        QVERIFY(result.moveAccepted);
        QVERIFY(result.indicatorShown);
        QVERIFY(result.dropAccepted);
        QVERIFY(!repair()->dragHandler(Side::Target)->indicatorVisible());
        QCOMPARE(session()->plan().rules.size(), 1);
        const RepairRule& rule = session()->plan().rules.first();
        QCOMPARE(rule.op, RepairRule::Op::Map);
        QCOMPARE(rule.from, sourceKey);
        QCOMPARE(rule.to, targetKey);
        QCOMPARE(status(targetKey), RowStatus::MappedByRule);
        QCOMPARE(m_window->diffModel()->indexOfKey(targetKey).data(DiffTreeModel::SourceKeyRole).toString(), sourceKey);
        QVERIFY(!m_window->diffModel()->indexOfKey(sourceKey).isValid()); // the row moved onto the target's
        QCOMPARE(repair()->rulesPanel()->model()->rowCount(), 1);

        // The other way round: a target row dragged onto a source row maps the same pair.
        const QString secondTarget = m_targetKeys.at(1);
        const QString secondSource = m_sourceKeys.at(1);
        QVERIFY(waitForDiff([&] { result = dropOn(Side::Source, row(secondSource), dragOf(Side::Target, secondTarget)); }));
        QCOMPARE(session()->plan().rules.size(), 2);
        QCOMPARE(session()->plan().rules.at(1), RepairRule::map(secondSource, secondTarget));
        QCOMPARE(status(secondTarget), RowStatus::MappedByRule);

        // Re-dragging a mapped row re-points its map instead of chaining a second one.
        QVERIFY(waitForDiff([&] { dropOn(Side::Target, row(m_targetKeys.at(2)), dragOf(Side::Source, secondTarget)); }));
        QCOMPARE(session()->plan().rules.size(), 2);
        QCOMPARE(session()->plan().rules.at(1), RepairRule::map(secondSource, m_targetKeys.at(2)));
    }

    void dragModuleOntoModule()
    {
        // The first module with a sub-module in the target (torch's keys): "layers" in Net.
        QString module;
        for (const QString& key : m_targetKeys) {
            if (key.count(QLatin1Char('.')) >= 2) {
                module = key.left(key.indexOf(QLatin1Char('.')));
                break;
            }
        }
        QVERIFY(!module.isEmpty());
        const DraggedKey dragged = dragOf(Side::Source, QLatin1String("module.") + module);
        QVERIFY(dragged.isModule);
        // A module does not drop onto a key.
        QVERIFY(!dropOn(Side::Target, row(m_targetKeys.first()), dragged).dropAccepted);
        QHash<QString, RowStatus> before;
        for (const QString& key : m_targetKeys)
            before.insert(key, status(key));
        QVERIFY(waitForDiff([&] { QVERIFY(dropOn(Side::Target, row(module), dragged).dropAccepted); }));
        QCOMPARE(session()->plan().rules.size(), 1);
        const RepairRule& rule = session()->plan().rules.first();
        QCOMPARE(rule.op, RepairRule::Op::Rename);
        QCOMPARE(rule.pattern, QLatin1String("^module\\.") + module + QLatin1String("\\."));
        QCOMPARE(rule.replace, module + QLatin1Char('.'));
        int mapped = 0;
        for (const QString& key : m_targetKeys) {
            const bool below = key.startsWith(module + QLatin1Char('.'));
            const RowStatus s = status(key);
            // Below the module every key now comes from the source; elsewhere nothing changed.
            QVERIFY2(below ? s == RowStatus::MappedByRule || s == RowStatus::FilledByTorch : s == before.value(key),
                     qPrintable(key));
            mapped += below ? 1 : 0;
        }
        QVERIFY(mapped >= 2);
    }

    void undoRedoRestoresPlansAndDiffs()
    {
        const auto torchVerdict = session()->diff().verdict;
        QVERIFY(waitForDiff([&] { dropOn(Side::Target, row(m_targetKeys.first()), dragOf(Side::Source, m_sourceKeys.first())); }));
        const RepairPlan mapped = session()->plan();
        QCOMPARE(mapped.rules.size(), 1);
        QCOMPARE(repair()->undoStack()->count(), 1);

        QVERIFY(waitForDiff([&] { repair()->undoStack()->undo(); }));
        QVERIFY(session()->plan().rules.isEmpty());
        QCOMPARE(status(m_targetKeys.first()), RowStatus::Missing);
        QCOMPARE(session()->diff().verdict->missing, torchVerdict->missing);
        QCOMPARE(repair()->rulesPanel()->model()->rowCount(), 0);

        // Redo through the window's shortcut (Ctrl+Shift+Z), as a user would.
        QVERIFY(waitForDiff([&] { QTest::keyClick(m_window.get(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier); }));
        QCOMPARE(session()->plan(), mapped);
        QCOMPARE(status(m_targetKeys.first()), RowStatus::MappedByRule);
        QVERIFY(waitForDiff([&] { QTest::keyClick(m_window.get(), Qt::Key_Z, Qt::ControlModifier); }));
        QVERIFY(session()->plan().rules.isEmpty());
    }

    void rulesPanelDisablesAndReorders()
    {
        RepairPlan plan;
        plan.rules << RepairRule::stripPrefix(QStringLiteral("module.")) << RepairRule::addPrefix(QStringLiteral("x."));
        QVERIFY(waitForDiff([&] { repair()->editPlan(plan, QStringLiteral("two rules")); }));
        RulesPanel* panel = repair()->rulesPanel();
        PlanModel* model = panel->model();
        QCOMPARE(model->rowCount(), 2);
        QVERIFY(model->index(0).data().toString().contains(QLatin1String("module.")));
        QVERIFY(!session()->diff().verdict->loadable); // every key became x.<key>

        // Disable the add_prefix: the strip alone makes the source load.
        QVERIFY(waitForDiff([&] { QVERIFY(model->setData(model->index(1), Qt::Unchecked, Qt::CheckStateRole)); }));
        QVERIFY(!session()->plan().rules.at(1).enabled);
        QVERIFY(session()->diff().verdict->loadable);
        QCOMPARE(model->index(1).data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));

        // Move up with the panel's button, then back down by dragging within the list.
        panel->list()->setCurrentIndex(model->index(1));
        QVERIFY(waitForDiff([&] { panel->moveCurrent(-1); }));
        QCOMPARE(session()->plan().rules.at(0).op, RepairRule::Op::AddPrefix);
        QCOMPARE(panel->currentRow(), 0);
        std::unique_ptr<QMimeData> mime(model->mimeData({model->index(0)}));
        QVERIFY(waitForDiff([&] { model->dropMimeData(mime.get(), Qt::MoveAction, 2, 0, QModelIndex()); }));
        QCOMPARE(session()->plan().rules.at(0).op, RepairRule::Op::StripPrefix);
        QCOMPARE(session()->plan().rules.at(1).op, RepairRule::Op::AddPrefix);

        // Delete is one more undoable step; four steps undo back to the two rules.
        panel->list()->setCurrentIndex(model->index(1));
        QVERIFY(waitForDiff([&] { panel->deleteCurrent(); }));
        QCOMPARE(session()->plan().rules.size(), 1);
        QCOMPARE(repair()->undoStack()->count(), 5);
        for (int i = 0; i < 4; ++i)
            QVERIFY(waitForDiff([&] { repair()->undoStack()->undo(); }));
        QCOMPARE(session()->plan(), plan);
    }

    void contextMenuMapsAndStrips()
    {
        const QString sourceKey = m_sourceKeys.first();
        std::unique_ptr<QMenu> menu(repair()->contextMenu(Side::Source, row(sourceKey), nullptr));
        const QHash<QString, QAction*> actions = menuActions(menu.get());
        QVERIFY(actions.value(QStringLiteral("Map to..."))->isEnabled());
        QVERIFY(!actions.value(QStringLiteral("Map from..."))->isEnabled()); // the row has its source key
        QVERIFY(actions.value(QStringLiteral("Drop"))->isEnabled());
        QVERIFY(!actions.value(QStringLiteral("Resize..."))->isEnabled()); // no target tensor on this row yet
        const bool twoD = session()->diff().sourceDict.entries.first().tensor->shape.size() == 2;
        QCOMPARE(actions.value(QStringLiteral("Transpose"))->isEnabled(), twoD);

        // Map to... is keyboard-usable: the "to" field completes over the target's keys.
        actions.value(QStringLiteral("Map to..."))->trigger();
        RuleDialog* dialog = repair()->ruleDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->fromEdit()->text(), sourceKey);
        QCompleter* completer = dialog->toEdit()->completer();
        QVERIFY(completer);
        QCOMPARE(completer->model()->rowCount(), m_targetKeys.size());
        dialog->toEdit()->setText(m_targetKeys.first());
        QVERIFY(waitForDiff([&] { dialog->accept(); }));
        QCOMPARE(session()->plan().rules.last(), RepairRule::map(sourceKey, m_targetKeys.first()));

        // Strip Prefix... is prefilled with the row's leading module path.
        menu.reset(repair()->contextMenu(Side::Source, row(m_sourceKeys.last()), nullptr));
        for (QAction* a : menu->actions()) {
            if (a->text().remove(QLatin1Char('&')) == QLatin1String("Strip Prefix..."))
                a->trigger();
        }
        dialog = repair()->ruleDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->prefixEdit()->text(), QStringLiteral("module."));
        QVERIFY(waitForDiff([&] { dialog->accept(); }));
        QVERIFY(session()->diff().verdict->loadable);
    }

    void suggestAcceptAllThenFixAndPythonLoadInTorch()
    {
        QSignalSpy shown(repair(), &RepairController::suggestionsShown);
        repair()->suggestAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 20000);
        SuggestionsDialog* dialog = repair()->suggestionsDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->list()->topLevelItemCount() >= 1);
        QVERIFY(dialog->list()->topLevelItem(0)->text(3).size() > 0); // a reason
        QVERIFY(waitForDiff([&] { dialog->acceptAll(); }));
        QVERIFY(!session()->plan().rules.isEmpty());
        QVERIFY(session()->diff().verdict->loadable);
        QCOMPARE(repair()->undoStack()->count(), 1);

        // The saved rules file through `statescope fix --rules`: real torch loads the output strictly.
        QTemporaryDir dir;
        const QString rules = dir.filePath(QStringLiteral("rules.json"));
        const QString out = dir.filePath(QStringLiteral("fixed.pt"));
        QSignalSpy saved(repair(), &RepairController::rulesSaved);
        QSignalSpy failed(repair(), &RepairController::rulesFailed);
        repair()->saveRules(rules);
        QTRY_COMPARE_WITH_TIMEOUT(saved.count() + failed.count(), 1, 20000);
        QCOMPARE(saved.count(), 1);
        QCOMPARE(saved.first().first().toString(), rules);
        QVERIFY(m_window->statusBar()->currentMessage().contains(rules));
        const ProcessResult fix = runStatescope({QStringLiteral("fix"), fixture(kSource), QStringLiteral("--target"),
                                                 fixture(kTarget), QStringLiteral("--rules"), rules,
                                                 QStringLiteral("-o"), out});
        QVERIFY2(fix.exitCode == 0, fix.err.constData());
        const QString strictLoad = QStringLiteral(
            "import sys, torch\n"
            "sys.path.insert(0, sys.argv[3])\n"
            "from gen_diff_pairs import Net\n"
            "net = Net()\n"
            "net.load_state_dict(torch.load(sys.argv[1]), strict=True)\n"
            "assert list(torch.load(sys.argv[1]).keys()) == list(torch.load(sys.argv[2]).keys())\n"
            "print('ok')\n");
        const ProcessResult load = runPython(strictLoad, {out, fixture(kTarget),
                                                          QLatin1String(STATESCOPE_SOURCE_DIR "/tests/fixtures")});
        QVERIFY2(load.exitCode == 0 && load.out.trimmed() == "ok", load.err.constData());

        // Copy as Python: torch runs the snippet on the source and gets the target's keys.
        QGuiApplication::clipboard()->clear();
        repair()->copyPythonAction()->trigger();
        const QString snippet = QGuiApplication::clipboard()->text();
        QVERIFY(snippet.contains(QLatin1String("def fix_state_dict")));
        const ProcessResult run = runPython(snippet + QLatin1String("\n"
                                                                    "import sys\n"
                                                                    "for k in fix_state_dict(torch.load(sys.argv[1])).keys():\n"
                                                                    "    print(k)\n"),
                                            {fixture(kSource)});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(QString::fromUtf8(run.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts), m_targetKeys);

        // Loading the saved file back is one more undoable step with the same plan.
        const RepairPlan savedPlan = session()->plan();
        QVERIFY(waitForDiff([this] { repair()->editPlan(RepairPlan(), QStringLiteral("clear")); }));
        QSignalSpy loaded(repair(), &RepairController::rulesLoaded);
        QVERIFY(waitForDiff([&] { repair()->loadRules(rules); }));
        QCOMPARE(loaded.count(), 1);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(session()->plan().rules, savedPlan.rules);
        QCOMPARE(repair()->undoStack()->count(), 3);
    }

    void collidingDropShowsErrorAndUndoClearsIt()
    {
        const QString targetKey = m_targetKeys.first();
        QVERIFY(waitForDiff([&] { dropOn(Side::Target, row(targetKey), dragOf(Side::Source, m_sourceKeys.first())); }));
        const auto good = session()->diff().verdict;
        QString failure;
        QVERIFY(!waitForDiff([&] { dropOn(Side::Target, row(targetKey), dragOf(Side::Source, m_sourceKeys.at(1))); },
                             &failure));
        QVERIFY2(failure.contains(m_sourceKeys.first()) && failure.contains(m_sourceKeys.at(1)), qPrintable(failure));
        const QString shown = repair()->rulesPanel()->error();
        QVERIFY2(shown.contains(failure), qPrintable(shown));
        QCOMPARE(session()->diff().verdict, good); // the last good diff stays
        QCOMPARE(session()->plan().rules.size(), 2); // the rejected plan is kept, to be undone
        QCOMPARE(repair()->undoStack()->count(), 2);
        QVERIFY(waitForDiff([&] { repair()->undoStack()->undo(); }));
        QVERIFY(repair()->rulesPanel()->error().isEmpty());
        QCOMPARE(session()->plan().rules.size(), 1);
        QCOMPARE(status(targetKey), RowStatus::MappedByRule);
    }

    void badRulesFileIsOneLineMessage()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"statescope_rules": 1, "rules": [{"op": "explode"}]})");
        f.close();
        QSignalSpy loaded(repair(), &RepairController::rulesLoaded);
        QSignalSpy failed(repair(), &RepairController::rulesFailed);
        repair()->loadRules(path);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
        QCOMPARE(loaded.count(), 0);
        QVERIFY(repair()->messageBox());
        const QString text = repair()->messageBox()->text();
        QVERIFY2(!text.isEmpty() && !text.contains(QLatin1Char('\n')), qPrintable(text));
        QCOMPARE(failed.first().first().toString(), text);
        QVERIFY(session()->plan().rules.isEmpty());
        QCOMPARE(repair()->undoStack()->count(), 0);
        repair()->messageBox()->close();

        // A save where no file can be: the same kind of message, and nothing left behind.
        QSignalSpy saved(repair(), &RepairController::rulesSaved);
        const QString nowhere = dir.filePath(QStringLiteral("no-such-dir/rules.json"));
        repair()->saveRules(nowhere);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 2, 20000);
        QCOMPARE(saved.count(), 0);
        QVERIFY(repair()->messageBox());
        const QString saveText = repair()->messageBox()->text();
        QVERIFY2(saveText.contains(nowhere) && !saveText.contains(QLatin1Char('\n')), qPrintable(saveText));
        QVERIFY(!QFile::exists(nowhere));
        repair()->messageBox()->close();
    }

    void secondLoadSupersedesFirst()
    {
        QTemporaryDir dir;
        RepairPlan first;
        first.rules << RepairRule::stripPrefix(QStringLiteral("module."));
        RepairPlan second;
        second.rules << RepairRule::map(m_sourceKeys.first(), m_targetKeys.first());
        const QString firstPath = dir.filePath(QStringLiteral("first.json"));
        const QString secondPath = dir.filePath(QStringLiteral("second.json"));
        writeRepairPlan(first, firstPath);
        writeRepairPlan(second, secondPath);

        // Both requests leave before either result is back: the first one's plan is stale when it arrives.
        QSignalSpy loaded(repair(), &RepairController::rulesLoaded);
        QSignalSpy failed(repair(), &RepairController::rulesFailed);
        QVERIFY(waitForDiff([&] {
            repair()->loadRules(firstPath);
            repair()->loadRules(secondPath);
        }));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
        QCOMPARE(loaded.first().first().toString(), secondPath);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(session()->plan(), second);
        QCOMPARE(repair()->undoStack()->count(), 1);
        QCOMPARE(status(m_targetKeys.first()), RowStatus::MappedByRule);
        QVERIFY(!session()->diff().verdict->loadable); // the strip of the first file never applied
    }

    void mapFromOnMissingRow()
    {
        const QString targetKey = m_targetKeys.first();
        QCOMPARE(status(targetKey), RowStatus::Missing);
        std::unique_ptr<QMenu> menu(repair()->contextMenu(Side::Target, row(targetKey), nullptr));
        QHash<QString, QAction*> actions = menuActions(menu.get());
        QVERIFY(!actions.value(QStringLiteral("Map to..."))->isEnabled()); // nothing of the source on this row
        QAction* mapFrom = actions.value(QStringLiteral("Map from..."));
        QVERIFY(mapFrom && mapFrom->isEnabled());

        // The picker offers torch's unexpected keys first: here every source key, in the file's order.
        mapFrom->trigger();
        RuleDialog* dialog = repair()->ruleDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->toEdit()->text(), targetKey);
        QVERIFY(dialog->fromEdit()->text().isEmpty());
        QVERIFY(!dialog->problem().isEmpty()); // no source key yet
        const QJsonObject before = torchLoadReport(fixture(kSource), {});
        QCOMPARE(completions(dialog->fromEdit()), stringList(before.value(QLatin1String("unexpected"))));
        QCOMPARE(completions(dialog->fromEdit()), m_sourceKeys);
        dialog->fromEdit()->setText(completions(dialog->fromEdit()).first());
        QVERIFY(waitForDiff([&] { dialog->accept(); }));
        QCOMPARE(session()->plan().rules.size(), 1);
        QCOMPARE(session()->plan().rules.last(), RepairRule::map(m_sourceKeys.first(), targetKey));
        QCOMPARE(repair()->undoStack()->count(), 1);
        QCOMPARE(status(targetKey), RowStatus::MappedByRule);
        QCOMPARE(m_window->diffModel()->indexOfKey(targetKey).data(DiffTreeModel::SourceKeyRole).toString(),
                 m_sourceKeys.first());

        // The verdict is what torch says of the source with that key renamed.
        const QJsonObject after = torchLoadReport(fixture(kSource), {{m_sourceKeys.first(), targetKey}});
        QVERIFY2(!after.contains(QLatin1String("error")), qPrintable(after.value(QLatin1String("error")).toString()));
        QCOMPARE(session()->diff().verdict->missing, stringList(after.value(QLatin1String("missing"))));
        QCOMPARE(session()->diff().verdict->unexpected, stringList(after.value(QLatin1String("unexpected"))));
        QVERIFY(!session()->diff().verdict->missing.contains(targetKey));

        // The next missing row: the still-unexpected keys come first, then the key already mapped.
        const QString nextTarget = m_targetKeys.at(1);
        menu.reset(repair()->contextMenu(Side::Target, row(nextTarget), nullptr));
        actions = menuActions(menu.get());
        actions.value(QStringLiteral("Map from..."))->trigger();
        dialog = repair()->ruleDialog();
        QVERIFY(dialog);
        QCOMPARE(completions(dialog->fromEdit()),
                 stringList(after.value(QLatin1String("unexpected"))) << targetKey);
        dialog->fromEdit()->setText(m_sourceKeys.at(1));
        QVERIFY(waitForDiff([&] { dialog->accept(); }));
        QCOMPARE(session()->plan().rules.last(), RepairRule::map(m_sourceKeys.at(1), nextTarget));
        QCOMPARE(status(nextTarget), RowStatus::MappedByRule);

        // Undo takes the row back to missing.
        QVERIFY(waitForDiff([&] { repair()->undoStack()->undo(); }));
        QCOMPARE(status(nextTarget), RowStatus::Missing);
        QCOMPARE(session()->diff().verdict->missing, stringList(after.value(QLatin1String("missing"))));
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestGuiRepair)
#include "tst_gui_repair.moc"
