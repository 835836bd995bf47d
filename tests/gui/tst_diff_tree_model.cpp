// The aligned source|target tree over real torch verdicts: every row's status agrees with what torch said
// (missing, unexpected, size mismatch, filled), modules roll up the worst status below them, and
// next/previous difference visits exactly the differing keys in display order.

#include "checkpoint/checkpoint.h"
#include "checkpoint/state_dict.h"
#include "diff/load_verdict.h"
#include "diff/target_model.h"
#include "formats/checkpoint_loader.h"
#include "session/diff_filter_model.h"
#include "session/diff_tree_model.h"
#include "support/fixtures.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSortFilterProxyModel>
#include <QRegularExpression>

#include <functional>
#include <QtTest>

using namespace statescope;
using namespace statescope::test;

namespace {

QJsonArray checkpointCases()
{
    QFile f(fixture(QStringLiteral("diff_pairs.expected.json")));
    f.open(QIODevice::ReadOnly);
    QJsonArray out;
    for (const auto& c : QJsonDocument::fromJson(f.readAll()).object().value(QLatin1String("cases")).toArray()) {
        const QJsonObject o = c.toObject();
        if (o.value(QLatin1String("target_kind")).toString() == QLatin1String("checkpoint") &&
            o.value(QLatin1String("exception")).toString() != QLatin1String("IndexError"))
            out.append(o);
    }
    return out;
}

DiffSnapshot snapshotFor(const QJsonObject& c)
{
    DiffSnapshot s;
    s.source = openCheckpoint(fixture(c.value(QLatin1String("source")).toString()));
    s.target = openCheckpoint(fixture(c.value(QLatin1String("target")).toString()));
    const QJsonValue dict = c.value(QLatin1String("source_dict"));
    s.sourceDict = selectStateDict(*s.source, dict.isString() ? dict.toString() : QString());
    s.targetDict = selectStateDict(*s.target, QString());
    s.verdict = computeLoadVerdict(s.sourceDict, TargetModel::fromStateDict(s.targetDict, s.target->path()),
                                   QStringLiteral("Model"));
    return s;
}

QSet<QString> strings(const QJsonValue& v)
{
    QSet<QString> out;
    for (const auto& s : v.toArray())
        out.insert(s.isObject() ? s.toObject().value(QLatin1String("key")).toString() : s.toString());
    return out;
}

void collectTensors(const QAbstractItemModel& model, const QModelIndex& parent, QVector<QModelIndex>* out)
{
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex i = model.index(r, 0, parent);
        if (!i.data(DiffTreeModel::IsModuleRole).toBool())
            out->push_back(i);
        collectTensors(model, i, out);
    }
}

} // namespace

class TestDiffTreeModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void passesModelTester();
    void statusesAgreeWithTorch_data();
    void statusesAgreeWithTorch();
    void filterShowsWhatItsRulesSay();
    void treeBuiltAheadIsTheSame();
};

void TestDiffTreeModel::passesModelTester()
{
    DiffTreeModel model;
    DiffFilterModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QJsonArray cases = checkpointCases();
    QVERIFY(cases.size() > 10);
    for (const auto& c : cases) {
        model.setSnapshot(snapshotFor(c.toObject()));
        proxy.setOnlyDifferences(true);
        proxy.setPattern(QStringLiteral("*.weight"));
        proxy.setPattern(QStringLiteral("re:^(layers|fc)\\."));
        proxy.setOnlyDifferences(false);
        proxy.setPattern(QString());
    }
    proxy.setPattern(QStringLiteral("re:(unclosed"));
    QVERIFY(!proxy.patternIsValid());
    QCOMPARE(proxy.rowCount(), model.rowCount());
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestDiffTreeModel::statusesAgreeWithTorch_data()
{
    QTest::addColumn<QJsonObject>("testCase");
    for (const auto& c : checkpointCases())
        QTest::newRow(qPrintable(c.toObject().value(QLatin1String("name")).toString())) << c.toObject();
}

void TestDiffTreeModel::statusesAgreeWithTorch()
{
    QFETCH(QJsonObject, testCase);
    DiffTreeModel model;
    model.setSnapshot(snapshotFor(testCase));
    const QSet<QString> missing = strings(testCase.value(QLatin1String("missing")));
    const QSet<QString> unexpected = strings(testCase.value(QLatin1String("unexpected")));
    const QSet<QString> shapes = strings(testCase.value(QLatin1String("shape_mismatch")));
    const QSet<QString> filled = strings(testCase.value(QLatin1String("filled_by_torch")));

    QVector<QModelIndex> tensors;
    collectTensors(model, {}, &tensors);
    QStringList differing;
    for (const QModelIndex& i : tensors) {
        const QString key = i.data(DiffTreeModel::KeyRole).toString();
        const auto status = static_cast<RowStatus>(i.data(DiffTreeModel::StatusRole).toInt());
        if (shapes.contains(key))
            QCOMPARE(status, RowStatus::ShapeMismatch);
        else if (missing.contains(key))
            QCOMPARE(status, RowStatus::Missing);
        else if (unexpected.contains(key))
            QCOMPARE(status, RowStatus::Unexpected);
        else if (filled.contains(key))
            QCOMPARE(status, RowStatus::FilledByTorch);
        else
            QVERIFY2(status == RowStatus::Equal || status == RowStatus::DtypeDiffers || status == RowStatus::IgnoredByTorch,
                     qPrintable(key));
        if (status != RowStatus::Equal)
            differing << key;
        // A module shows the worst status below it.
        for (QModelIndex p = i.parent(); p.isValid(); p = p.parent())
            QVERIFY(p.data(DiffTreeModel::StatusRole).toInt() >= static_cast<int>(status));
    }
    // Every key torch names has a row.
    QSet<QString> rows;
    for (const QModelIndex& i : tensors)
        rows.insert(i.data(DiffTreeModel::KeyRole).toString());
    for (const QSet<QString>& named : {missing, unexpected, shapes, filled}) {
        for (const QString& key : named)
            QVERIFY2(rows.contains(key), qPrintable(key));
    }
    // Alt+Down walks the differences in display order and wraps; Alt+Up walks back.
    QStringList walked;
    QModelIndex at = model.firstDifference();
    for (int n = 0; at.isValid() && n < differing.size(); ++n) {
        walked << at.data(DiffTreeModel::KeyRole).toString();
        at = model.nextDifference(at, true);
    }
    QCOMPARE(walked, differing);
    if (!differing.isEmpty()) {
        QCOMPARE(at.data(DiffTreeModel::KeyRole).toString(), differing.front());
        QCOMPARE(model.lastDifference().data(DiffTreeModel::KeyRole).toString(), differing.back());
        QCOMPARE(model.nextDifference(model.firstDifference(), false).data(DiffTreeModel::KeyRole).toString(), differing.back());
        QCOMPARE(model.differencePositions().size(), differing.size());
    } else {
        QVERIFY(!model.firstDifference().isValid());
    }
}

// The filter decides all rows in one pass over the tree; what it shows must be exactly what its rules say
// row by row: tensors whose key matches (and that differ, with "only differences"), and the modules above them.
void TestDiffTreeModel::filterShowsWhatItsRulesSay()
{
    DiffTreeModel model;
    DiffFilterModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QStringList patterns{QString(), QStringLiteral("bias"), QStringLiteral("*.weight"), QStringLiteral("re:^(layers|fc)\\."),
                               QStringLiteral("BN.RUNNING"), QStringLiteral("no such key")};
    int checked = 0;
    for (const auto& c : checkpointCases()) {
        model.setSnapshot(snapshotFor(c.toObject()));
        QVector<QModelIndex> tensors;
        collectTensors(model, {}, &tensors);
        for (const bool only : {false, true}) {
            proxy.setOnlyDifferences(only);
            for (const QString& text : patterns) {
                proxy.setPattern(text);
                QRegularExpression rule;
                if (text.startsWith(QLatin1String("re:")))
                    rule = QRegularExpression(text.mid(3));
                else if (text.contains(QLatin1Char('*')))
                    rule = QRegularExpression(QRegularExpression::wildcardToRegularExpression(
                        text, QRegularExpression::UnanchoredWildcardConversion));
                else
                    rule = QRegularExpression(QRegularExpression::escape(text), QRegularExpression::CaseInsensitiveOption);
                QStringList expected;
                for (const QModelIndex& i : tensors) {
                    const QString key = i.data(DiffTreeModel::KeyRole).toString();
                    const bool differs = i.data(DiffTreeModel::StatusRole).toInt() != int(RowStatus::Equal);
                    if ((!only || differs) && (text.isEmpty() || rule.match(key).hasMatch()))
                        expected << key;
                }
                QStringList shown, emptyModules;
                std::function<bool(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
                    bool any = false;
                    for (int r = 0; r < proxy.rowCount(parent); ++r) {
                        const QModelIndex i = proxy.index(r, 0, parent);
                        if (i.data(DiffTreeModel::IsModuleRole).toBool()) {
                            const bool below = walk(i);
                            if (!below) // a module is shown only for what is below it
                                emptyModules << i.data(DiffTreeModel::KeyRole).toString();
                            any = any || below;
                        } else {
                            shown << i.data(DiffTreeModel::KeyRole).toString();
                            any = true;
                        }
                    }
                    return any;
                };
                walk({});
                QCOMPARE(shown, expected);
                QVERIFY2(emptyModules.isEmpty(), qPrintable(emptyModules.join(QLatin1Char(' '))));
                ++checked;
            }
        }
    }
    QVERIFY(checked > 100);
}

// The window gets trees built on the worker (buildDiffTree); they must be what the model builds itself.
void TestDiffTreeModel::treeBuiltAheadIsTheSame()
{
    for (const auto& c : checkpointCases()) {
        const DiffSnapshot plain = snapshotFor(c.toObject());
        DiffSnapshot ahead = plain;
        ahead.tree = buildDiffTree(ahead);
        DiffTreeModel a, b;
        a.setSnapshot(plain);
        b.setSnapshot(ahead);
        QCOMPARE(b.displayRowCount(), a.displayRowCount());
        for (int row = 0; row < a.displayRowCount(); ++row) {
            const QModelIndex x = a.indexAtDisplayRow(row);
            const QModelIndex y = b.indexAtDisplayRow(row);
            QCOMPARE(y.data(DiffTreeModel::KeyRole), x.data(DiffTreeModel::KeyRole));
            QCOMPARE(y.data(DiffTreeModel::StatusRole), x.data(DiffTreeModel::StatusRole));
            QCOMPARE(y.data(DiffTreeModel::DifferenceCountRole), x.data(DiffTreeModel::DifferenceCountRole));
            QCOMPARE(b.index(y.row(), DiffTreeModel::SourceBytes, y.parent()).data(),
                     a.index(x.row(), DiffTreeModel::SourceBytes, x.parent()).data());
            QCOMPARE(b.displayRowOf(y), row);
        }
        QCOMPARE(b.differencePositions(), a.differencePositions());
    }
}

QTEST_GUILESS_MAIN(TestDiffTreeModel)
#include "tst_diff_tree_model.moc"
