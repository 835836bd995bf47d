// The module-tree model of one checkpoint, checked by QAbstractItemModelTester from before data arrives.

#include "checkpoint/checkpoint.h"
#include "checkpoint/state_dict.h"
#include "formats/checkpoint_loader.h"
#include "session/checkpoint_tree_model.h"
#include "support/fixtures.h"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QSignalSpy>
#include <QtTest>

using namespace statescope;
using namespace statescope::test;

class TestCheckpointTreeModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void passesModelTester();
    void showsModulesAndTensors();
    void largeStateDictArrivesWhole();
};

void TestCheckpointTreeModel::passesModelTester()
{
    CheckpointTreeModel model;
    QSortFilterProxyModel proxy;
    proxy.setRecursiveFilteringEnabled(true);
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto checkpoint = openCheckpoint(fixture(QStringLiteral("resnet18.pt")));
    model.setStateDict(selectStateDict(*checkpoint, QString()));
    proxy.setFilterFixedString(QStringLiteral("bn"));
    QVERIFY(proxy.rowCount() > 0);
    proxy.setFilterFixedString(QString());
    const auto other = openCheckpoint(fixture(QStringLiteral("lightning.ckpt")));
    model.setStateDict(selectStateDict(*other, QString()));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestCheckpointTreeModel::showsModulesAndTensors()
{
    const auto checkpoint = openCheckpoint(fixture(QStringLiteral("resnet18.pt")));
    const StateDict sd = selectStateDict(*checkpoint, QString());
    CheckpointTreeModel model;
    model.setStateDict(sd);
    // Top level: conv1, bn1, layer1..4, fc in torch's registration order.
    QStringList top;
    for (int r = 0; r < model.rowCount(); ++r)
        top << model.index(r, 0).data().toString();
    QCOMPARE(top, (QStringList{QStringLiteral("conv1"), QStringLiteral("bn1"), QStringLiteral("layer1"), QStringLiteral("layer2"),
                               QStringLiteral("layer3"), QStringLiteral("layer4"), QStringLiteral("fc")}));
    const QModelIndex conv1 = model.index(0, 0);
    QVERIFY(model.data(conv1, CheckpointTreeModel::IsModuleRole).toBool());
    const QModelIndex weight = model.index(0, 0, conv1);
    QCOMPARE(weight.data(CheckpointTreeModel::KeyRole).toString(), QStringLiteral("conv1.weight"));
    QCOMPARE(model.index(0, CheckpointTreeModel::Shape, conv1).data().toString(), QStringLiteral("[64, 3, 7, 7]"));
    QCOMPARE(model.index(0, CheckpointTreeModel::DTypeColumn, conv1).data().toString(), QStringLiteral("float32"));
    QCOMPARE(model.index(0, CheckpointTreeModel::Parameters, conv1).data().toString(), QStringLiteral("9,408"));
}

// Above the synchronous limit (100k-key files) the rows are arranged on a pool thread and arrive as one
// reset; a newer state dict given meanwhile wins over the older build.
void TestCheckpointTreeModel::largeStateDictArrivesWhole()
{
    const int limit = CheckpointTreeModel::synchronousLimit();
    CheckpointTreeModel::setSynchronousLimit(0);
    CheckpointTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    const auto lightning = openCheckpoint(fixture(QStringLiteral("lightning.ckpt")));
    const auto resnet = openCheckpoint(fixture(QStringLiteral("resnet18.pt")));
    model.setStateDict(selectStateDict(*lightning, QString()), lightning);
    QVERIFY(model.isBuilding());
    QCOMPARE(model.rowCount(), 0);
    model.setStateDict(selectStateDict(*resnet, QString()), resnet);
    QTRY_VERIFY(!model.isBuilding());
    QCOMPARE(model.rowCount(), 7);
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("conv1"));
    QTest::qWait(50); // the superseded build, if it finished later, must not have replaced the rows
    QCOMPARE(model.rowCount(), 7);
    QCOMPARE(resets.count(), 3); // two "building" resets, one with the rows
    CheckpointTreeModel::setSynchronousLimit(limit);
}

QTEST_GUILESS_MAIN(TestCheckpointTreeModel)
#include "tst_checkpoint_tree_model.moc"
