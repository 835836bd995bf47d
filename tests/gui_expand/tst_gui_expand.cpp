// Expansion in batches (CheckpointPane::expandBatch, followExpand): "expand to differences" and a mirrored
// expandAll defer the views' layout and expand many rows at once. What a user sees must not change: every
// module above a shown difference is open in both views, and after the deferred layout each such row has
// a place in both views (a visualRect with a height), as with one expand() per row.
#include "checkpoint_pane.h"
#include "main_window.h"
#include "session/diff_filter_model.h"
#include "session/diff_tree_model.h"
#include "session/session.h"
#include "support/fixtures.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTreeView>
#include <QtTest>

using namespace statescope;
using namespace statescope::test;

namespace {

// Checkpoint pairs of the diff fixtures that torch finds differences in (missing, unexpected, reshaped).
QJsonArray differingCases()
{
    QFile f(fixture(QStringLiteral("diff_pairs.expected.json")));
    f.open(QIODevice::ReadOnly);
    QJsonArray out;
    for (const auto& c : QJsonDocument::fromJson(f.readAll()).object().value(QLatin1String("cases")).toArray()) {
        const QJsonObject o = c.toObject();
        if (o.value(QLatin1String("target_kind")).toString() != QLatin1String("checkpoint") ||
            o.value(QLatin1String("exception")).toString() == QLatin1String("IndexError") ||
            o.value(QLatin1String("source_dict")).isString()) // the window picks the best state dict itself
            continue;
        if (!o.value(QLatin1String("missing")).toArray().isEmpty() || !o.value(QLatin1String("unexpected")).toArray().isEmpty() ||
            !o.value(QLatin1String("shape_mismatch")).toArray().isEmpty())
            out.append(o);
    }
    return out;
}

void collectModules(const QAbstractItemModel& model, const QModelIndex& parent, QModelIndexList* out)
{
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex i = model.index(r, 0, parent);
        if (model.hasChildren(i)) {
            out->push_back(i);
            collectModules(model, i, out);
        }
    }
}

} // namespace

class TestGuiExpand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void differencesOpenInBothViews_data();
    void differencesOpenInBothViews();
};

void TestGuiExpand::differencesOpenInBothViews_data()
{
    QTest::addColumn<QJsonObject>("testCase");
    const QJsonArray cases = differingCases();
    QVERIFY(cases.size() >= 3);
    for (const auto& c : cases)
        QTest::newRow(qPrintable(c.toObject().value(QLatin1String("name")).toString())) << c.toObject();
}

void TestGuiExpand::differencesOpenInBothViews()
{
    QFETCH(QJsonObject, testCase);
    MainWindow window;
    window.resize(1200, 800);
    window.show();
    QSignalSpy ready(window.session(), &Session::diffReady);
    window.openFile(Side::Source, fixture(testCase.value(QLatin1String("source")).toString()));
    window.openFile(Side::Target, fixture(testCase.value(QLatin1String("target")).toString()));
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 20000);
    QCoreApplication::processEvents(); // the deferred layouts (zero timers) run

    DiffTreeModel* model = window.diffModel();
    QAbstractItemModel* shown = window.filterModel();
    QTreeView* views[2] = {window.pane(Side::Source)->view(), window.pane(Side::Target)->view()};
    const auto differences = model->differencePositions();
    QVERIFY(!differences.isEmpty());
    for (const auto& [row, status] : differences) {
        const QModelIndex at = shown == model ? model->indexAtDisplayRow(row)
                                              : window.filterModel()->mapFromSource(model->indexAtDisplayRow(row));
        QVERIFY(at.isValid());
        for (QTreeView* view : views) {
            for (QModelIndex p = at.parent(); p.isValid(); p = p.parent())
                QVERIFY2(view->isExpanded(p), qPrintable(p.data(DiffTreeModel::KeyRole).toString()));
            // A row the view has not laid out has a null rect (a narrow Name column may leave a laid-out
            // row no width, so only its height counts).
            QVERIFY2(view->visualRect(at).height() > 0, qPrintable(at.data(DiffTreeModel::KeyRole).toString()));
        }
    }

    // expandAll on one side: the other follows, in one burst, and lays every row out.
    views[0]->expandAll();
    QCoreApplication::processEvents();
    QModelIndexList modules;
    collectModules(*shown, {}, &modules);
    for (const QModelIndex& m : std::as_const(modules)) {
        QVERIFY2(views[1]->isExpanded(m), qPrintable(m.data(DiffTreeModel::KeyRole).toString()));
        const QModelIndex lastChild = shown->index(shown->rowCount(m) - 1, 0, m);
        QVERIFY(views[1]->visualRect(lastChild).height() > 0);
    }
    // And one collapse still mirrors.
    if (!modules.isEmpty()) {
        views[1]->collapse(modules.front());
        QVERIFY(!views[0]->isExpanded(modules.front()));
    }
}

QTEST_MAIN(TestGuiExpand)
#include "tst_gui_expand.moc"
