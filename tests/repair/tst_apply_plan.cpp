#include "diff/diff_result.h"
#include "diff/load_verdict.h"
#include "formats/format_error.h"
#include "repair/apply_plan.h"
#include "repair/repair_cases.h"
#include "repair/snippet_runner.h"

#include <QTest>

using namespace statescope;
using namespace statescope::test;

namespace {

QJsonObject caseNamed(const QString& name)
{
    for (const QJsonValue& v : repairCases()) {
        if (v.toObject().value(QLatin1String("name")).toString() == name)
            return v.toObject();
    }
    return {};
}

QString applyError(const RepairPlan& plan, const StateDict& source, const StateDict* target)
{
    try {
        applyPlan(plan, source, target);
    } catch (const FormatError& e) {
        return e.message();
    }
    return QString();
}

RepairRule patternRule(RepairRule::Op op, const QString& pattern)
{
    RepairRule r;
    r.op = op;
    r.pattern = pattern;
    return r;
}

QStringList metadataLines(const QJsonObject& metadata)
{
    QStringList lines;
    for (auto it = metadata.begin(); it != metadata.end(); ++it)
        lines << it.key() + QLatin1Char('=') + QString::number(it.value().toInt(-1));
    lines.sort();
    return lines;
}

QStringList metadataLines(const StateDict& view)
{
    QStringList lines;
    if (!view.metadata)
        return lines;
    for (const auto& item : view.metadata->items) {
        const QString prefix = item.first->as<PyString>()->value;
        lines << prefix + QLatin1Char('=') + QString::number(view.moduleVersion(prefix));
    }
    lines.sort();
    return lines;
}

} // namespace

class TestApplyPlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void rulesFiles_data();
    void rulesFiles();
    void identityPlanIsIdentity();
    void tensorRuleErrors();
    void fillPlacesAfterRunningVar();
};

void TestApplyPlan::initTestCase()
{
    QVERIFY2(!repairCases().isEmpty(), "repair.expected.json missing: run tests/fixtures/make_fixtures.py");
}

void TestApplyPlan::rulesFiles_data()
{
    QTest::addColumn<QJsonObject>("repairCase");
    for (const QJsonValue& v : repairCases()) {
        if (v.toObject().value(QLatin1String("rules")).isString())
            QTest::newRow(qPrintable(v.toObject().value(QLatin1String("name")).toString())) << v.toObject();
    }
}

// The generator applied the rules with plain torch; our plan must give the same keys, order, dtypes, shapes
// and _metadata versions, the verdict must agree with torch, and the Python snippet must do the same.
void TestApplyPlan::rulesFiles()
{
    QFETCH(QJsonObject, repairCase);
    const RepairCase c(repairCase);
    const RepairPlan plan = readRepairPlan(c.rulesFile());
    const QJsonValue error = repairCase.value(QLatin1String("error"));
    if (error.isArray()) {
        const QString message = applyError(plan, c.source, &c.target);
        for (const QJsonValue& key : error.toArray())
            QVERIFY2(message.contains(QLatin1Char('"') + key.toString() + QLatin1Char('"')), qPrintable(message));
        const QJsonObject python = runSnippet(plan, repairCase);
        QVERIFY2(python.value(QLatin1String("exception")).toString().startsWith(QLatin1String("ValueError")),
                 qPrintable(QString::fromUtf8(QJsonDocument(python).toJson())));
        return;
    }
    const auto repaired = applyPlan(plan, c.source, &c.target);
    QCOMPARE(describe(*repaired), describe(repairCase.value(QLatin1String("expected")).toArray()));
    QCOMPARE(metadataLines(repaired->view), metadataLines(repairCase.value(QLatin1String("expected_metadata")).toObject()));
    const auto verdict = computeLoadVerdict(repaired->view, *c.model, QStringLiteral("Model"));
    const QJsonValue torchError = repairCase.value(QLatin1String("expected_error"));
    QCOMPARE(verdict->torchError, torchError.isNull() ? QString() : torchError.toString());
    QCOMPARE(verdict->loadable, torchError.isNull());
    for (const RepairedEntry& e : repaired->entries) {
        if (e.recipe.origin == TensorRecipe::Origin::Source)
            QVERIFY(!e.sourceKey.isEmpty());
    }

    const QJsonObject python = runSnippet(plan, repairCase);
    QVERIFY2(python.contains(QLatin1String("keys")), qPrintable(python.value(QLatin1String("exception")).toString()));
    QCOMPARE(describe(python.value(QLatin1String("keys")).toArray()), describe(*repaired));
    QCOMPARE(metadataLines(python.value(QLatin1String("metadata")).toObject()), metadataLines(repaired->view));
    QCOMPARE(python.value(QLatin1String("error")).toString(), verdict->torchError);
}

void TestApplyPlan::identityPlanIsIdentity()
{
    const RepairCase c(caseNamed(QStringLiteral("dp")));
    const auto repaired = applyPlan(RepairPlan(), c.source, nullptr);
    const auto identity = identityRepair(c.source);
    QCOMPARE(describe(*repaired), describe(*identity));
    for (qsizetype i = 0; i < repaired->entries.size(); ++i) {
        QVERIFY(repaired->entries.at(i).recipe.isPlainCopy());
        QCOMPARE(repaired->view.entries.at(i).tensor, c.source.entries.at(i).tensor); // the original tensor
    }
    QCOMPARE(metadataLines(repaired->view), metadataLines(c.source));
}

void TestApplyPlan::tensorRuleErrors()
{
    const RepairCase c(caseNamed(QStringLiteral("ops")));
    RepairPlan plan;
    // transpose of a 3-D tensor
    QVERIFY(applyError(plan.withRule(patternRule(RepairRule::Op::Transpose, QStringLiteral("^pos_embed$"))), c.source, &c.target)
                .contains(QLatin1String("transpose takes 2-D tensors only")));
    // interpolate where the grid is not square (prefix_tokens 0: 17 tokens)
    RepairRule interpolate = patternRule(RepairRule::Op::Resize, QStringLiteral("^pos_embed$"));
    interpolate.mode = RepairRule::ResizeMode::Interpolate;
    const QString square = applyError(plan.withRule(interpolate), c.source, &c.target);
    QVERIFY2(square.contains(QLatin1String("perfect squares")), qPrintable(square));
    interpolate.prefixTokens = 1;
    const auto ok = applyPlan(plan.withRule(interpolate), c.source, &c.target);
    const RepairedEntry& pos = *std::find_if(ok->entries.cbegin(), ok->entries.cend(),
                                             [](const RepairedEntry& e) { return e.key == QLatin1String("pos_embed"); });
    QCOMPARE(pos.recipe.resize, TensorRecipe::Resize::Interpolate);
    QCOMPARE(pos.recipe.prefixTokens, 1);
    QCOMPARE(pos.recipe.resizeTo, (QVector<qint64>{1, 26, 8}));
    QVERIFY(pos.recipe.padFrom);
    // a key the target lacks
    QVERIFY(applyError(plan.withRule(patternRule(RepairRule::Op::TakeFromTarget, QStringLiteral("^aux\\."))), c.source, &c.target)
                .contains(QLatin1String("the target has no key \"aux.weight\"")));
    // a rule that reads the target without one
    QVERIFY(applyError(plan.withRule(patternRule(RepairRule::Op::TakeFromTarget, QStringLiteral("^gate$"))), c.source, nullptr)
                .contains(QLatin1String("rule 0 (take_from_target) needs the target")));
    // slice_pad keeps the number of dimensions
    RepairRule slice = patternRule(RepairRule::Op::Resize, QStringLiteral("^gate$"));
    QVERIFY(applyError(plan.withRule(slice), c.source, &c.target).contains(QLatin1String("keeps the number of dimensions")));
    // a cast to the dtype a tensor has is no cast
    RepairRule cast = patternRule(RepairRule::Op::Cast, QStringLiteral("^head\\."));
    cast.dtype = QStringLiteral("float32");
    const auto same = applyPlan(plan.withRule(cast), c.source, nullptr);
    QVERIFY(std::all_of(same->entries.cbegin(), same->entries.cend(), [](const RepairedEntry& e) { return e.recipe.isPlainCopy(); }));
    // The Python snippet refuses the target-reading rules without the target, naming it.
    const QJsonObject python = runSnippet(plan.withRule(patternRule(RepairRule::Op::TakeFromTarget, QStringLiteral("^gate$"))),
                                          caseNamed(QStringLiteral("ops")), false);
    QVERIFY2(python.value(QLatin1String("exception")).toString().startsWith(QLatin1String("NotImplementedError: take_from_target needs the target")),
             qPrintable(python.value(QLatin1String("exception")).toString()));
}

void TestApplyPlan::fillPlacesAfterRunningVar()
{
    const RepairCase c(caseNamed(QStringLiteral("bn_fill")));
    const auto repaired = applyPlan(RepairPlan().withRule(RepairRule::fillNumBatchesTracked()), c.source, &c.target);
    QStringList added;
    for (qsizetype i = 0; i < repaired->entries.size(); ++i) {
        const RepairedEntry& e = repaired->entries.at(i);
        if (e.recipe.origin != TensorRecipe::Origin::Zero)
            continue;
        added << e.key;
        QVERIFY(e.sourceKey.isEmpty());
        QCOMPARE(e.recipe.dtype, DType::Int64);
        QVERIFY(e.recipe.shape.isEmpty());
        QVERIFY(i > 0);
        QCOMPARE(repaired->entries.at(i - 1).key, e.key.left(e.key.size() - 19) + QLatin1String("running_var"));
    }
    QCOMPARE(added.size(), 4);
    // Without the rule torch reports them missing (the _metadata says version 2).
    QVERIFY(!computeLoadVerdict(c.source, *c.model, QStringLiteral("Model"))->loadable);
}

QTEST_GUILESS_MAIN(TestApplyPlan)
#include "tst_apply_plan.moc"
