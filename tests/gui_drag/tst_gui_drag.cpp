// Real drag loops in the window: the mouse is pressed on a row, moved past the start distance so the view
// runs QDrag::exec (under xcb QXcbDrag's nested loop, a QBasicDrag that filters the application's mouse
// events and talks XDND to our own window), and the moves and the release that end the drag are delivered
// from inside that loop as window-system mouse events. Covers a source key dragged onto a target key (a map rule), refused drops,
// and rules reordered by dragging them within the rules list; every verdict is compared with real torch.
#include "checkpoint_pane.h"
#include "key_drag.h"
#include "main_window.h"
#include "repair_controller.h"
#include "rules_panel.h"
#include "session/diff_filter_model.h"
#include "session/diff_tree_model.h"
#include "session/plan_model.h"
#include "support/fixtures.h"
#include "support/window_test.h"

#include <QApplication>
#include <QCursor>
#include <QDrag>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QListView>
#include <QSignalSpy>
#include <QTimer>
#include <QTreeView>
#include <QUndoStack>
#include <QWindow>
#include <QtTest>

using namespace statescope;
using namespace statescope::test;

namespace {

const QString kSource = QStringLiteral("diff_prefix_module_source.pt");
const QString kTarget = QStringLiteral("diff_prefix_module_target.pt");

// What real torch's load_state_dict(strict=False) on the fixture's Net reports for the source file after
// `ops` (["strip", prefix], ["add", prefix] or ["map", from, to], applied in order, written here in Python
// from the rules file's meaning): {"missing": [...], "unexpected": [...]} in torch's order.
QJsonObject torchLoadReport(const QString& file, const QJsonArray& ops)
{
    const ProcessResult r = runPython(
        QStringLiteral("import sys, json, torch\n"
                       "sys.path.insert(0, sys.argv[2])\n"
                       "from gen_diff_pairs import Net\n"
                       "ops = json.loads(sys.argv[3])\n"
                       "def fix(k):\n"
                       "    for op in ops:\n"
                       "        if op[0] == 'strip' and k.startswith(op[1]):\n"
                       "            k = k[len(op[1]):]\n"
                       "        elif op[0] == 'add':\n"
                       "            k = op[1] + k\n"
                       "        elif op[0] == 'map' and k == op[1]:\n"
                       "            k = op[2]\n"
                       "    return k\n"
                       "sd = {fix(k): v for k, v in torch.load(sys.argv[1]).items()}\n"
                       "r = Net().load_state_dict(sd, strict=False)\n"
                       "print(json.dumps({'missing': r.missing_keys, 'unexpected': r.unexpected_keys}))\n"),
        {file, QLatin1String(STATESCOPE_SOURCE_DIR "/tests/fixtures"),
         QString::fromUtf8(QJsonDocument(ops).toJson(QJsonDocument::Compact))});
    if (r.exitCode != 0)
        return {{QStringLiteral("error"), QString::fromUtf8(r.err)}};
    return QJsonDocument::fromJson(r.out).object();
}

// How a real drag went: whether QDrag::exec's loop was running when the end of the gesture was delivered.
struct DragRun
{
    bool ranInDragLoop = false;
    bool loopEnded = false;
};

} // namespace

class TestGuiDrag : public WindowTest
{
    Q_OBJECT
private:
    QStringList m_sourceKeys; // torch's
    QStringList m_targetKeys;

    QListView* rulesList() const { return repair()->rulesPanel()->list(); }

    // Only the rows of `keys` and their modules expanded, scrolled to the top: every row is in sight of both
    // trees (which expand and scroll together).
    void showOnly(const QStringList& keys)
    {
        QTreeView* tree = view(Side::Source);
        tree->collapseAll();
        for (const QString& key : keys) {
            for (QModelIndex up = row(key).parent(); up.isValid(); up = up.parent())
                tree->expand(up);
        }
        tree->scrollToTop();
        QCoreApplication::processEvents();
    }

    // The centre of `index`'s row in `view`'s viewport (the trees scroll together: no scrolling here, or the
    // other side's point would move).
    static QPoint centreOf(QAbstractItemView* view, const QModelIndex& index)
    {
        const QRect rect = view->visualRect(index);
        return view->viewport()->rect().contains(rect) ? rect.center() : QPoint(-1, -1);
    }

    // A drag with the mouse, through the window system as a hand makes it: press at `from` on `fromView`'s
    // viewport, move past the start distance (the view starts its QDrag there and QDrag::exec does not return
    // until the drag ends), then, from inside that nested loop, move onto `to` of `toView`'s viewport and
    // release. Points are viewport coordinates; the events go to the window in its own coordinates.
    DragRun realDrag(QAbstractItemView* fromView, const QPoint& from, QAbstractItemView* toView, const QPoint& to)
    {
        QWindow* window = m_window->windowHandle();
        const QPoint start = fromView->viewport()->mapTo(m_window.get(), from);
        const QPoint end = toView->viewport()->mapTo(m_window.get(), to);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete); // an earlier drag's QDrag
        const auto dragOf = [fromView] { return fromView->findChild<QDrag*>(QString(), Qt::FindDirectChildrenOnly); };
        DragRun run;
        if (dragOf() || from.x() < 0 || to.x() < 0) // a QDrag left over, or a row out of sight
            return run;
        // The drag starts where QCursor::pos() is; put the cursor on the pressed row first.
        QCursor::setPos(window->mapToGlobal(start));
        QCoreApplication::processEvents();

        QTimer endOfDrag;
        endOfDrag.setSingleShot(true);
        endOfDrag.setInterval(0);
        connect(&endOfDrag, &QTimer::timeout, this, [&] {
            run.ranInDragLoop = dragOf() != nullptr;
            // Two moves, as a hand makes them: into the other view, then over the row.
            QCursor::setPos(window->mapToGlobal(end + QPoint(0, 1)));
            QTest::mouseMove(window, end + QPoint(0, 1));
            QTest::qWait(100);
            QCursor::setPos(window->mapToGlobal(end));
            QTest::mouseMove(window, end);
            QTest::qWait(100);
            QTest::mouseRelease(window, Qt::LeftButton, Qt::NoModifier, end);
        });
        QTest::mousePress(window, Qt::LeftButton, Qt::NoModifier, start);
        // An item view arms its drag on a first move and starts it on a later one past the distance.
        QTest::mouseMove(window, start + QPoint(2, 0));
        endOfDrag.start();
        QTest::mouseMove(window, start + QPoint(QApplication::startDragDistance() + 4, 0));
        // Back here: QDrag::exec has returned (or the view never started a drag, and the timer has not run).
        run.loopEnded = !endOfDrag.isActive();
        if (endOfDrag.isActive()) {
            endOfDrag.stop();
            QTest::mouseRelease(window, Qt::LeftButton, Qt::NoModifier, start);
        }
        QCoreApplication::processEvents(); // the release QBasicDrag deferred until its loop returned
        return run;
    }

    void resetPlan()
    {
        if (!session()->plan().rules.isEmpty())
            QVERIFY(waitForDiff([this] { repair()->editPlan(RepairPlan(), QStringLiteral("reset")); }));
        repair()->undoStack()->clear();
    }

    void compareWithTorch(const QJsonArray& ops)
    {
        const QJsonObject torch = torchLoadReport(fixture(kSource), ops);
        QVERIFY2(!torch.contains(QLatin1String("error")), qPrintable(torch.value(QLatin1String("error")).toString()));
        const auto verdict = session()->diff().verdict;
        QVERIFY(verdict);
        QCOMPARE(verdict->missing, torch.value(QLatin1String("missing")).toVariant().toStringList());
        QCOMPARE(verdict->unexpected, torch.value(QLatin1String("unexpected")).toVariant().toStringList());
        QCOMPARE(verdict->loadable, verdict->missing.isEmpty() && verdict->unexpected.isEmpty());
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The offscreen plugin's QOffscreenDrag::drag() returns Qt::IgnoreAction at once: no nested loop, no
        // drag events, no drop. ctest runs this suite under Xvfb (tst_gui_drag_xvfb), where QXcbDrag runs
        // the real loop.
        if (QGuiApplication::platformName() == QLatin1String("offscreen"))
            QSKIP("QDrag::exec does nothing on the offscreen platform; run under xvfb-run with QT_QPA_PLATFORM=xcb");
        // The keys real torch reads from each file, in order.
        const auto torchKeys = [](const QString& file) {
            const ProcessResult r = runPython(
                QStringLiteral("import sys, torch\nprint('\\n'.join(torch.load(sys.argv[1]).keys()))\n"), {file});
            return QString::fromUtf8(r.exitCode == 0 ? r.out : r.err).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        };
        m_sourceKeys = torchKeys(fixture(kSource));
        m_targetKeys = torchKeys(fixture(kTarget));
        QVERIFY2(m_targetKeys.size() > 4, qPrintable(m_targetKeys.join(QLatin1Char(' '))));
        QCOMPARE(m_sourceKeys.size(), m_targetKeys.size());

        m_window = std::make_unique<MainWindow>();
        m_window->resize(1400, 1000);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QVERIFY(waitForDiff([this] {
            m_window->openFile(Side::Source, fixture(kSource));
            m_window->openFile(Side::Target, fixture(kTarget));
        }));
        QTRY_VERIFY_WITH_TIMEOUT(session()->diff().verdict && !session()->isBusy(), 20000);
        QVERIFY(!session()->diff().verdict->loadable);
    }

    void init()
    {
        resetPlan();
        view(Side::Source)->expandAll();
        view(Side::Target)->expandAll();
        view(Side::Source)->scrollToTop();
    }

    void mouseDragKeyOntoKeyMaps()
    {
        const QString sourceKey = m_sourceKeys.first();
        const QString targetKey = m_targetKeys.first();
        QCOMPARE(status(targetKey), RowStatus::Missing);
        const auto before = session()->diff().verdict;
        showOnly({sourceKey, targetKey});

        DragRun run;
        QVERIFY(waitForDiff([&] {
            run = realDrag(view(Side::Source), centreOf(view(Side::Source), row(sourceKey)), view(Side::Target),
                           centreOf(view(Side::Target), row(targetKey)));
        }));
        QVERIFY(run.ranInDragLoop);
        QVERIFY(run.loopEnded);
        QVERIFY(!repair()->dragHandler(Side::Target)->indicatorVisible());
        QCOMPARE(session()->plan().rules.size(), 1);
        QCOMPARE(session()->plan().rules.first(), RepairRule::map(sourceKey, targetKey));
        QCOMPARE(repair()->undoStack()->count(), 1);

        // The target's row shows the mapping: its status and the source key it now gets.
        const QModelIndex shown = row(targetKey);
        QVERIFY(shown.isValid());
        QCOMPARE(static_cast<RowStatus>(shown.data(DiffTreeModel::StatusRole).toInt()), RowStatus::MappedByRule);
        QCOMPARE(shown.data(DiffTreeModel::SourceKeyRole).toString(), sourceKey);
        QVERIFY(!m_window->diffModel()->indexOfKey(sourceKey).isValid());
        QJsonArray ops;
        ops.append(QJsonArray{QStringLiteral("map"), sourceKey, targetKey}); // not {{...}}: that copies the inner array
        compareWithTorch(ops);

        QVERIFY(waitForDiff([&] { repair()->undoStack()->undo(); }));
        QVERIFY(session()->plan().rules.isEmpty());
        QCOMPARE(status(targetKey), RowStatus::Missing);
        QCOMPARE(session()->diff().verdict->missing, before->missing);
        QCOMPARE(session()->diff().verdict->unexpected, before->unexpected);
    }

    void mouseDragOntoRefusedRowAddsNothing()
    {
        // A key onto a module row, and a key onto a row of its own side: the drag loop ends with no drop.
        const QString sourceKey = m_sourceKeys.first();
        const QString targetKey = m_targetKeys.first();
        const QString targetModule = targetKey.left(targetKey.lastIndexOf(QLatin1Char('.')));
        showOnly({sourceKey, targetKey, m_sourceKeys.last()});
        QSignalSpy ready(session(), &Session::diffReady);
        DragRun run = realDrag(view(Side::Source), centreOf(view(Side::Source), row(sourceKey)), view(Side::Target),
                               centreOf(view(Side::Target), row(targetModule)));
        QVERIFY(run.ranInDragLoop);
        QVERIFY(run.loopEnded);
        run = realDrag(view(Side::Source), centreOf(view(Side::Source), row(sourceKey)), view(Side::Source),
                       centreOf(view(Side::Source), row(m_sourceKeys.last())));
        QVERIFY(run.ranInDragLoop);
        QVERIFY(run.loopEnded);
        QVERIFY(!repair()->dragHandler(Side::Target)->indicatorVisible());
        QCoreApplication::processEvents();
        QVERIFY(session()->plan().rules.isEmpty());
        QCOMPARE(repair()->undoStack()->count(), 0);
        QCOMPARE(ready.count(), 0);
    }

    void mouseDragReordersRules_data()
    {
        QTest::addColumn<int>("from");
        QTest::addColumn<bool>("below"); // drop on the lower half of the row (after it) or the upper (before it)
        QTest::addColumn<int>("onto");
        QTest::newRow("first after second") << 0 << true << 1;
        QTest::newRow("second before first") << 1 << false << 0;
        QTest::newRow("third before first") << 2 << false << 0;
        QTest::newRow("first to the end") << 0 << true << 2;
    }

    void mouseDragReordersRules()
    {
        QFETCH(int, from);
        QFETCH(bool, below);
        QFETCH(int, onto);
        // Three rules whose order decides the verdict: add "x." then strip "x.module." loads; stripping first
        // leaves every key as x.module.<key>, except the one the map then takes back, if it comes after both.
        const RepairRule add = RepairRule::addPrefix(QStringLiteral("x."));
        const RepairRule strip = RepairRule::stripPrefix(QStringLiteral("x.module."));
        const RepairRule map = RepairRule::map(QLatin1String("x.module.") + m_targetKeys.first(), m_targetKeys.first());
        const QHash<int, QJsonArray> ops = {
            {0, QJsonArray{QStringLiteral("add"), add.prefix}},
            {1, QJsonArray{QStringLiteral("strip"), strip.prefix}},
            {2, QJsonArray{QStringLiteral("map"), map.from, map.to}}};
        RepairPlan plan;
        plan.rules << add << strip << map;
        QVERIFY(waitForDiff([&] { repair()->editPlan(plan, QStringLiteral("three rules")); }));
        QJsonArray planOps{ops[0], ops[1], ops[2]};
        compareWithTorch(planOps);

        QListView* list = rulesList();
        PlanModel* model = repair()->rulesPanel()->model();
        QCOMPARE(model->rowCount(), 3);
        list->scrollToTop();
        const QRect ontoRect = list->visualRect(model->index(onto));
        QVERIFY(list->viewport()->rect().contains(ontoRect));
        const QPoint drop = ontoRect.center() + QPoint(0, (below ? 1 : -1) * ontoRect.height() / 4);
        DragRun run;
        QVERIFY(waitForDiff([&] { run = realDrag(list, list->visualRect(model->index(from)).center(), list, drop); }));
        QVERIFY(run.ranInDragLoop);
        QVERIFY(run.loopEnded);

        // Where it lands: before `onto` or after it, counted once it left its own place.
        int to = below ? onto + 1 : onto;
        if (to > from)
            --to;
        QVector<int> order = {0, 1, 2};
        order.move(from, to);
        RepairPlan moved;
        QJsonArray movedOps;
        for (int i : order) {
            moved.rules << plan.rules.at(i);
            movedOps << ops[i];
        }
        QCOMPARE(session()->plan(), moved);
        QCOMPARE(model->rowCount(), 3); // the view removed no row of its own
        QCOMPARE(repair()->rulesPanel()->currentRow(), to); // the dragged rule stays selected
        for (int r = 0; r < 3; ++r)
            QCOMPARE(model->index(r).data(PlanModel::OpRole).toString(), repairOpName(moved.rules.at(r).op));
        QCOMPARE(repair()->undoStack()->count(), 2);
        compareWithTorch(movedOps);
        // Stripping before adding leaves no key loadable; adding first made every key load.
        const bool addBeforeStrip = order.indexOf(0) < order.indexOf(1);
        QCOMPARE(session()->diff().verdict->loadable, addBeforeStrip);

        QVERIFY(waitForDiff([&] { repair()->undoStack()->undo(); }));
        QCOMPARE(session()->plan(), plan);
        compareWithTorch(planOps);
        QVERIFY(session()->diff().verdict->loadable);
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestGuiDrag)
#include "tst_gui_drag.moc"
