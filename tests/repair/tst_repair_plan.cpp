#include "formats/format_error.h"
#include "repair/key_rules.h"
#include "repair/repair_plan.h"
#include "support/fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace statescope;
using namespace statescope::test;

namespace {

// Every op of CLI.md's rules file, as a user would write it.
const char kAllOps[] = R"J({"statescope_rules": 1, "source_dict": "state_dict", "rules": [
 {"op": "strip_prefix", "prefix": "module."},
 {"op": "add_prefix", "prefix": "backbone.", "pattern": "^(?!head)"},
 {"op": "add_prefix", "prefix": "all."},
 {"op": "rename", "pattern": "^layer(\\d+)\\.", "replace": "stage\\1."},
 {"op": "map", "from": "fc.weight", "to": "classifier.weight"},
 {"op": "drop", "pattern": "^aux\\."},
 {"op": "cast", "pattern": ".*", "dtype": "float32"},
 {"op": "cast", "pattern": "x", "dtype": "target"},
 {"op": "transpose", "pattern": "c_attn\\.weight$"},
 {"op": "take_from_target", "pattern": "^fc\\."},
 {"op": "fill_num_batches_tracked"},
 {"op": "resize", "pattern": "^fc\\.", "mode": "slice_pad"},
 {"op": "resize", "pattern": "pos_embed$", "mode": "interpolate", "prefix_tokens": 1, "confidence": 0.5},
 {"op": "drop", "pattern": "^never$", "enabled": false}
]})J";

QString errorOf(const QByteArray& json)
{
    try {
        parseRepairPlan(json, QStringLiteral("rules.json"));
    } catch (const FormatError& e) {
        return e.message();
    }
    return QString();
}

} // namespace

class TestRepairPlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesEveryOp();
    void roundTrips();
    void errorsNameRuleAndField_data();
    void errorsNameRuleAndField();
    void badPatternNamesRule();
    void subIsPythonsReSub();
    void prefixRulesAreAnchored();
    void undoIsAValue();
};

void TestRepairPlan::parsesEveryOp()
{
    const RepairPlan plan = parseRepairPlan(kAllOps, QStringLiteral("rules.json"));
    QCOMPARE(plan.sourceDict, QStringLiteral("state_dict"));
    QCOMPARE(plan.rules.size(), 14);
    using Op = RepairRule::Op;
    const QVector<Op> ops{Op::StripPrefix, Op::AddPrefix, Op::AddPrefix, Op::Rename, Op::Map, Op::Drop, Op::Cast,
                          Op::Cast, Op::Transpose, Op::TakeFromTarget, Op::FillNumBatchesTracked, Op::Resize,
                          Op::Resize, Op::Drop};
    for (int i = 0; i < ops.size(); ++i)
        QCOMPARE(plan.rules.at(i).op, ops.at(i));
    QCOMPARE(plan.rules.at(1).pattern, QStringLiteral("^(?!head)"));
    QVERIFY(plan.rules.at(2).pattern.isNull());
    QCOMPARE(plan.rules.at(3).replace, QStringLiteral("stage\\1."));
    QCOMPARE(plan.rules.at(4).to, QStringLiteral("classifier.weight"));
    QCOMPARE(plan.rules.at(7).dtype, QStringLiteral("target"));
    QCOMPARE(plan.rules.at(11).mode, RepairRule::ResizeMode::SlicePad);
    QCOMPARE(plan.rules.at(12).mode, RepairRule::ResizeMode::Interpolate);
    QCOMPARE(plan.rules.at(12).prefixTokens, 1);
    QVERIFY(!plan.rules.at(13).enabled);
    QVERIFY(plan.needsTarget());
    QVERIFY(!plan.isLossless());
    QVERIFY((RepairPlan{QString(), {plan.rules.at(0), plan.rules.at(3), plan.rules.at(10)}}.isLossless()));
}

void TestRepairPlan::roundTrips()
{
    const RepairPlan plan = parseRepairPlan(kAllOps, QStringLiteral("rules.json"));
    const QByteArray written = QJsonDocument(repairPlanJson(plan)).toJson();
    const RepairPlan again = parseRepairPlan(written, QStringLiteral("again.json"));
    QVERIFY(again == plan);
    // Through a file too (atomic write), in a folder of its own: the suite runs once per oracle, side by side.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("statescope_rules_roundtrip.json"));
    writeRepairPlan(plan, path);
    QVERIFY(readRepairPlan(path) == plan);
    // No source_dict stays absent.
    const RepairPlan bare = parseRepairPlan(R"J({"statescope_rules": 1, "rules": []})J", QStringLiteral("r"));
    QVERIFY(bare.sourceDict.isNull());
    QVERIFY(!repairPlanJson(bare).contains(QLatin1String("source_dict")));
}

void TestRepairPlan::errorsNameRuleAndField_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << QByteArray("{") << QStringLiteral("rules.json: not valid JSON");
    QTest::newRow("no version") << QByteArray(R"J({"rules": []})J") << QStringLiteral("\"statescope_rules\" must be 1");
    QTest::newRow("rules not array") << QByteArray(R"J({"statescope_rules": 1, "rules": {}})J")
                                     << QStringLiteral("field \"rules\" must be an array");
    QTest::newRow("unknown op") << QByteArray(R"J({"statescope_rules": 1, "rules": [{"op": "strip_prefix", "prefix": "a."}, {"op": "explode"}]})J")
                                << QStringLiteral("rules.json: rule 1 field \"op\": unknown op \"explode\"");
    QTest::newRow("missing prefix") << QByteArray(R"J({"statescope_rules": 1, "rules": [{"op": "strip_prefix"}]})J")
                                    << QStringLiteral("rule 0 field \"prefix\": missing");
    QTest::newRow("empty prefix") << QByteArray(R"J({"statescope_rules": 1, "rules": [{"op": "add_prefix", "prefix": ""}]})J")
                                  << QStringLiteral("rule 0 field \"prefix\": must not be empty");
    QTest::newRow("bad dtype") << QByteArray(R"J({"statescope_rules": 1, "rules": [{"op": "cast", "pattern": ".", "dtype": "float33"}]})J")
                               << QStringLiteral("rule 0 field \"dtype\": unknown dtype \"float33\"");
    QTest::newRow("bad mode") << QByteArray(R"J({"statescope_rules": 1, "rules": [{"op": "resize", "pattern": ".", "mode": "zoom"}]})J")
                              << QStringLiteral("rule 0 field \"mode\": unknown mode");
    QTest::newRow("bad tokens") << QByteArray(R"J({"statescope_rules": 1, "rules": [{"op": "resize", "pattern": ".", "mode": "interpolate", "prefix_tokens": -1}]})J")
                                << QStringLiteral("rule 0 field \"prefix_tokens\"");
    QTest::newRow("map to number") << QByteArray(R"J({"statescope_rules": 1, "rules": [{"op": "map", "from": "a", "to": 3}]})J")
                                   << QStringLiteral("rule 0 field \"to\": must be a string");
    QTest::newRow("enabled string") << QByteArray(R"J({"statescope_rules": 1, "rules": [{"op": "fill_num_batches_tracked", "enabled": "no"}]})J")
                                    << QStringLiteral("rule 0 field \"enabled\"");
    QTest::newRow("rule not object") << QByteArray(R"J({"statescope_rules": 1, "rules": [3]})J")
                                     << QStringLiteral("rule 0: a rule must be a JSON object");
}

void TestRepairPlan::errorsNameRuleAndField()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const QString message = errorOf(json);
    QVERIFY2(message.contains(expected), qPrintable(message));
}

void TestRepairPlan::badPatternNamesRule()
{
    RepairPlan plan;
    plan.rules << RepairRule::stripPrefix(QStringLiteral("a.")) << RepairRule::rename(QStringLiteral("(unclosed"), QString());
    try {
        compileRules(plan);
        QFAIL("a bad regex compiled");
    } catch (const FormatError& e) {
        QVERIFY2(e.message().startsWith(QLatin1String("rule 1 field \"pattern\"")), qPrintable(e.message()));
    }
    plan.rules[1] = RepairRule::rename(QStringLiteral("(a)"), QStringLiteral("\\2"));
    try {
        compileRules(plan);
        QFAIL("a reference to a missing group compiled");
    } catch (const FormatError& e) {
        QVERIFY2(e.message().startsWith(QLatin1String("rule 1 field \"replace\"")), qPrintable(e.message()));
    }
}

void TestRepairPlan::subIsPythonsReSub()
{
    // (pattern, replacement, text): Python's re.sub is the judge.
    const QVector<QStringList> table{
        {QStringLiteral("^layer(\\d+)\\."), QStringLiteral("stage\\1."), QStringLiteral("layer12.0.conv.weight")},
        {QStringLiteral("\\."), QStringLiteral("_"), QStringLiteral("a.b.c")},
        {QStringLiteral("(?P<blk>blocks)\\.(\\d)"), QStringLiteral("\\g<blk>_\\g<2>"), QStringLiteral("blocks.3.attn")},
        {QStringLiteral("(a)(b)?"), QStringLiteral("[\\1\\2]"), QStringLiteral("ac ab")},
        {QStringLiteral("x"), QStringLiteral("\\\\1"), QStringLiteral("axb")},
        {QStringLiteral("x"), QStringLiteral("\\.\\t"), QStringLiteral("axb")},
        {QStringLiteral("^"), QStringLiteral("p."), QStringLiteral("key")},
        {QStringLiteral("$"), QStringLiteral(".w"), QStringLiteral("key")},
        {QStringLiteral("(\\d)(\\d)"), QStringLiteral("\\2\\1"), QStringLiteral("1234")},
        {QStringLiteral("weight$"), QStringLiteral("kernel"), QStringLiteral("fc.weight.weight")},
    };
    QJsonArray cases;
    for (const QStringList& row : table)
        cases.append(QJsonArray::fromStringList(row));
    const ProcessResult python = runPython(
        QStringLiteral("import json, re, sys\n"
                       "print(json.dumps([re.sub(p, r, t) for p, r, t in json.loads(sys.argv[1])]))\n"),
        {QString::fromUtf8(QJsonDocument(cases).toJson(QJsonDocument::Compact))});
    QVERIFY2(python.exitCode == 0, python.err.constData());
    const QJsonArray expected = QJsonDocument::fromJson(python.out).array();
    QCOMPARE(expected.size(), table.size());
    for (int i = 0; i < table.size(); ++i) {
        const QStringList& row = table.at(i);
        const QString ours = pythonSub(QRegularExpression(row.at(0)), row.at(1), row.at(2));
        QVERIFY2(ours == expected.at(i).toString(),
                 qPrintable(row.join(QLatin1String(" | ")) + QLatin1String(" -> ") + ours +
                            QLatin1String(" but Python says ") + expected.at(i).toString()));
    }
}

void TestRepairPlan::prefixRulesAreAnchored()
{
    RepairPlan plan;
    plan.rules << RepairRule::stripPrefix(QStringLiteral("module."));
    const QVector<CompiledRule> rules = compileRules(plan);
    QCOMPARE(*applyKeyRules(rules, QStringLiteral("backbone.submodule.weight")), QStringLiteral("backbone.submodule.weight"));
    QCOMPARE(*applyKeyRules(rules, QStringLiteral("module.module.weight")), QStringLiteral("module.weight"));
    QCOMPARE(*applyKeyRules(rules, QStringLiteral("module.")), QStringLiteral(""));
    plan.rules << RepairRule::addPrefix(QStringLiteral("net."), QStringLiteral("^(?!head)"));
    const QVector<CompiledRule> two = compileRules(plan);
    QCOMPARE(*applyKeyRules(two, QStringLiteral("module.head.bias")), QStringLiteral("head.bias"));
    QCOMPARE(*applyKeyRules(two, QStringLiteral("module.body.bias")), QStringLiteral("net.body.bias"));
    RepairRule drop;
    drop.op = RepairRule::Op::Drop;
    drop.pattern = QStringLiteral("^net\\.");
    plan.rules << drop;
    QVERIFY(!applyKeyRules(compileRules(plan), QStringLiteral("body.w")));
}

void TestRepairPlan::undoIsAValue()
{
    const RepairPlan empty;
    const RepairPlan one = empty.withRule(RepairRule::stripPrefix(QStringLiteral("module.")));
    const RepairPlan two = one.withRule(RepairRule::fillNumBatchesTracked());
    QCOMPARE(empty.rules.size(), 0); // the older plans are untouched: an undo stack is a list of plans
    QCOMPARE(one.rules.size(), 1);
    QVERIFY(two.withoutRule(1) == one);
    QVERIFY(two.withoutRule(0).withRuleAt(0, one.rules.at(0)) == two);
    QVERIFY(two.withRuleEnabled(0, false) != two);
    QVERIFY(two.withRuleEnabled(0, false).withRuleEnabled(0, true) == two);
    QCOMPARE(two.withRuleMoved(0, 1).rules.at(0).op, RepairRule::Op::FillNumBatchesTracked);
    QVERIFY(two.withRuleReplaced(0, RepairRule::stripPrefix(QStringLiteral("m."))).rules.at(0).prefix == QStringLiteral("m."));
    QVERIFY(two.withoutRule(7) == two); // out of range: nothing to undo
    // A disabled rule is skipped.
    const QVector<CompiledRule> rules = compileRules(two.withRuleEnabled(0, false));
    QCOMPARE(*applyKeyRules(rules, QStringLiteral("module.x")), QStringLiteral("module.x"));
}

QTEST_GUILESS_MAIN(TestRepairPlan)
#include "tst_repair_plan.moc"
