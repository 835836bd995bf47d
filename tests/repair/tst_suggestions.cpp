#include "diff/diff_result.h"
#include "diff/load_verdict.h"
#include "repair/apply_plan.h"
#include "repair/repair_cases.h"
#include "repair/snippet_runner.h"
#include "repair/suggestions.h"

#include <QTest>

using namespace statescope;
using namespace statescope::test;

class TestSuggestions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void losslessPlanLoads_data();
    void losslessPlanLoads();
    void shapeRepairsAreNotLossless();
    void nothingToSuggestForALoadablePair();
};

void TestSuggestions::initTestCase()
{
    QVERIFY2(!repairCases().isEmpty(), "repair.expected.json missing: run tests/fixtures/make_fixtures.py");
}

void TestSuggestions::losslessPlanLoads_data()
{
    QTest::addColumn<QJsonObject>("repairCase");
    for (const QJsonValue& v : repairCases()) {
        if (v.toObject().value(QLatin1String("suggest_loadable")).toBool())
            QTest::newRow(qPrintable(v.toObject().value(QLatin1String("name")).toString())) << v.toObject();
    }
}

// The cases torch cannot load as they are but that renaming alone fixes: `fix --auto`'s plan must make them
// load, use only lossless rules, and its Python snippet must make real torch load them with the same keys.
void TestSuggestions::losslessPlanLoads()
{
    QFETCH(QJsonObject, repairCase);
    const RepairCase c(repairCase);
    QVERIFY(!repairCase.value(QLatin1String("source_loads")).toBool());
    QVERIFY(!computeLoadVerdict(c.source, *c.model, QStringLiteral("Model"))->loadable);

    const QVector<Suggestion> suggestions = suggest(c.source, c.target, *c.model);
    QVERIFY(!suggestions.isEmpty());
    for (const Suggestion& s : suggestions) {
        QVERIFY(s.confidence > 0 && s.confidence <= 1);
        QVERIFY(!s.reason.isEmpty());
    }
    const RepairPlan plan = suggestedPlan(suggestions, c.source, true);
    QVERIFY(plan.isLossless());
    QCOMPARE(plan.sourceDict, c.source.path);
    const auto repaired = applyPlan(plan, c.source, &c.target);
    const auto verdict = computeLoadVerdict(repaired->view, *c.model, QStringLiteral("Model"));
    QVERIFY2(verdict->loadable, qPrintable(verdict->torchError + QLatin1Char('\n') +
                                           QString::fromUtf8(QJsonDocument(repairPlanJson(plan)).toJson())));
    const QJsonValue autoRules = repairCase.value(QLatin1String("auto_rules"));
    if (autoRules.isArray())
        QCOMPARE(repairPlanJson(plan).value(QLatin1String("rules")).toArray(), autoRules.toArray());

    const QJsonObject python = runSnippet(plan, repairCase);
    QVERIFY2(python.contains(QLatin1String("keys")), qPrintable(python.value(QLatin1String("exception")).toString()));
    QVERIFY2(python.value(QLatin1String("error")).isNull(), qPrintable(python.value(QLatin1String("error")).toString()));
    QCOMPARE(describe(python.value(QLatin1String("keys")).toArray()), describe(*repaired));
    QStringList targetKeys;
    for (const QJsonValue& k : repairCase.value(QLatin1String("target_keys")).toArray())
        targetKeys << k.toString();
    QStringList outputKeys;
    for (const RepairedEntry& e : repaired->entries)
        outputKeys << e.key;
    QCOMPARE(outputKeys, targetKeys); // the source's order is the model's here, added keys included
}

void TestSuggestions::shapeRepairsAreNotLossless()
{
    QJsonObject ops;
    for (const QJsonValue& v : repairCases()) {
        if (v.toObject().value(QLatin1String("name")).toString() == QLatin1String("ops"))
            ops = v.toObject();
    }
    const RepairCase c(ops);
    const QVector<Suggestion> suggestions = suggest(c.source, c.target, *c.model);
    QStringList lossless;
    QStringList lossy;
    for (const Suggestion& s : suggestions) {
        for (const RepairRule& r : s.rules)
            (s.lossless ? lossless : lossy) << repairOpName(r.op) + QLatin1Char(' ') + r.pattern + QLatin1Char(' ') + r.replace;
    }
    QCOMPARE(lossless, QStringList{QStringLiteral("rename ^encoder\\. enc.")});
    QVERIFY2(lossy.contains(QStringLiteral("transpose ^proj\\.weight$ ")), qPrintable(lossy.join(QLatin1Char('\n'))));
    QVERIFY2(lossy.contains(QStringLiteral("resize ^pos_embed$ ")), qPrintable(lossy.join(QLatin1Char('\n'))));
    QVERIFY2(lossy.contains(QStringLiteral("resize ^head\\.weight$ ")), qPrintable(lossy.join(QLatin1Char('\n'))));
    QVERIFY2(lossy.contains(QStringLiteral("take_from_target ^gate$ ")), qPrintable(lossy.join(QLatin1Char('\n'))));
    for (const Suggestion& s : suggestions) {
        for (const RepairRule& r : s.rules) {
            if (r.op == RepairRule::Op::Resize && r.pattern == QLatin1String("^pos_embed$")) {
                QCOMPARE(r.mode, RepairRule::ResizeMode::Interpolate);
                QCOMPARE(r.prefixTokens, 1);
            }
        }
    }
    // aux.* has no counterpart: only the full plan drops it, as one module.
    QVERIFY2(lossy.contains(QStringLiteral("drop ^aux\\. ")), qPrintable(lossy.join(QLatin1Char('\n'))));
    const auto full = computeLoadVerdict(applyPlan(suggestedPlan(suggestions, c.source, false), c.source, &c.target)->view,
                                         *c.model, QStringLiteral("Model"));
    QVERIFY(full->loadable);
    const auto keysOnly = computeLoadVerdict(applyPlan(suggestedPlan(suggestions, c.source, true), c.source, &c.target)->view,
                                             *c.model, QStringLiteral("Model"));
    QCOMPARE(keysOnly->unexpected, (QStringList{QStringLiteral("aux.weight"), QStringLiteral("aux.bias")}));
}

void TestSuggestions::nothingToSuggestForALoadablePair()
{
    QJsonObject dp;
    for (const QJsonValue& v : repairCases()) {
        if (v.toObject().value(QLatin1String("name")).toString() == QLatin1String("dp"))
            dp = v.toObject();
    }
    const RepairCase c(dp);
    // The target against itself: nothing to do.
    QVERIFY(suggest(c.target, c.target, *c.model).isEmpty());
}

QTEST_GUILESS_MAIN(TestSuggestions)
#include "tst_suggestions.moc"
