#include "checkpoint/checkpoint.h"
#include "checkpoint/state_dict.h"
#include "checkpoint/module_tree.h"
#include "diff/diff_cases.h"
#include "diff/load_verdict.h"
#include "diff/target_model.h"
#include "diff/torch_error_text.h"
#include "formats/checkpoint_loader.h"
#include "formats/format_error.h"

#include <QTest>

using namespace statescope;
using namespace statescope::test;

namespace {

struct Opened
{
    std::shared_ptr<const Checkpoint> checkpoint;
    StateDict stateDict;
};

Opened open(const QString& file, const QJsonValue& dictPath)
{
    Opened o;
    o.checkpoint = openCheckpoint(fixture(file));
    o.stateDict = selectStateDict(*o.checkpoint, dictPath.isString() ? dictPath.toString() : QString());
    return o;
}

TargetModel targetOf(const Opened& target)
{
    if (const ScriptModuleInfo* script = target.checkpoint->scriptModule())
        return TargetModel::fromScript(*script, target.stateDict, target.checkpoint->path());
    return TargetModel::fromStateDict(target.stateDict, target.checkpoint->path());
}

// A tensor made in memory, for rules no torch-written file can show (a repaired key list).
const PyTensor* makeTensor(PyArena& arena, QVector<qint64> shape, DType dtype = DType::Float32)
{
    auto* t = arena.make<PyTensor>();
    t->shape = std::move(shape);
    t->dtype = dtype;
    return t;
}

} // namespace

class TestLoadVerdict : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void torchPairs_data();
    void torchPairs();
    void checkpointAndScriptTargetsAgree();
    void repeatedKeyKeepsFirstPositionLastTensor();
    void hostileKeysDoNotRecurse();
    void normTypesFromTorchScript();
    void moduleTreeOfEmptyComponents();
    void rulesForTorchVersions_data();
    void rulesForTorchVersions();
};

// Keys with empty path components (a fuzz finding: tests/fuzz/regressions/checkpoint/leading_dot_module_path.pt):
// every tensor is counted at its module and every ancestor, the root included.
void TestLoadVerdict::moduleTreeOfEmptyComponents()
{
    PyArena arena;
    const QVector<StateDictEntry> entries{{QStringLiteral(".ayers.1.w"), makeTensor(arena, {2})},
                                          {QStringLiteral("a..b.w"), makeTensor(arena, {3})},
                                          {QStringLiteral("..w"), makeTensor(arena, {5})},
                                          {QStringLiteral("x."), makeTensor(arena, {7})}};
    const std::unique_ptr<ModuleNode> root = buildModuleTree(entries);
    QCOMPARE(root->tensorCount, 4);
    QCOMPARE(root->parameters, qint64(2 + 3 + 5 + 7));
}

void TestLoadVerdict::rulesForTorchVersions_data()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<int>("rules"); // -1: not a version
    QTest::newRow("Debian 12") << QStringLiteral("1.13.1") << int(LoadRules::Torch113);
    QTest::newRow("before the change") << QStringLiteral("2.3.1+cu121") << int(LoadRules::Torch113);
    QTest::newRow("the unexpected-key change") << QStringLiteral("2.4.0") << int(LoadRules::Torch24);
    QTest::newRow("Debian 13") << QStringLiteral("2.6.0+debian") << int(LoadRules::Torch24);
    QTest::newRow("major.minor") << QStringLiteral("2.9") << int(LoadRules::Torch24);
    QTest::newRow("the 0-dim change") << QStringLiteral("2.10.0") << int(LoadRules::Current);
    QTest::newRow("venv") << QStringLiteral("2.13.0+cpu") << int(LoadRules::Current);
    QTest::newRow("nightly") << QStringLiteral("2.14.0.dev20261101+cpu") << int(LoadRules::Current);
    QTest::newRow("words") << QStringLiteral("latest") << -1;
    QTest::newRow("empty") << QString() << -1;
}

void TestLoadVerdict::rulesForTorchVersions()
{
    QFETCH(QString, version);
    QFETCH(int, rules);
    const std::optional<LoadRules> got = loadRulesForTorchVersion(version);
    QCOMPARE(got.has_value(), rules >= 0);
    if (got)
        QCOMPARE(int(*got), rules);
}

void TestLoadVerdict::initTestCase()
{
    QVERIFY2(!diffCases().isEmpty(), "diff_pairs.expected.json missing: run tests/fixtures/make_fixtures.py");
}

void TestLoadVerdict::torchPairs_data()
{
    addDiffCaseRows();
}

void TestLoadVerdict::torchPairs()
{
    QFETCH(QJsonObject, pair);
    const Opened source =
        open(pair.value(QLatin1String("source")).toString(), pair.value(QLatin1String("source_dict")));
    const Opened target = open(pair.value(QLatin1String("target")).toString(), QJsonValue());
    const TargetModel model = targetOf(target);
    // TorchScript and torch.export targets carry the real module tree and class of the model.
    const QString kind = pair.value(QLatin1String("target_kind")).toString();
    const bool script = kind == QLatin1String("torchscript") || kind == QLatin1String("export");
    QCOMPARE(bool(target.checkpoint->scriptModule()), script);
    const QString name = pair.value(QLatin1String("model_name")).toString();
    if (script)
        QCOMPARE(model.className(), name); // the CLI's default NAME for a TorchScript target
    const auto result = computeLoadVerdict(source.stateDict, model, name, oracleLoadRules());

    const QJsonValue error = pair.value(QLatin1String("torch_error"));
    QCOMPARE(result->loadable, error.isNull());
    QCOMPARE(result->torchError.isNull(), error.isNull());
    QCOMPARE(result->torchError, error.toString()); // byte for byte
    QCOMPARE(result->torchException.isNull(), pair.value(QLatin1String("exception")).isNull());
    QCOMPARE(result->torchException, pair.value(QLatin1String("exception")).toString());
    QCOMPARE(result->filledByTorch, stringList(pair.value(QLatin1String("filled_by_torch"))));

    QStringList dtypes;
    for (const DtypeMismatch& m : result->dtypeMismatch)
        dtypes << m.key + QLatin1Char(':') + dtypeName(m.sourceDtype) + QLatin1String("->") +
                      dtypeName(m.targetDtype);
    QStringList expectedDtypes;
    for (const QJsonValue& v : pair.value(QLatin1String("dtype_mismatch")).toArray()) {
        const QJsonObject o = v.toObject();
        expectedDtypes << o.value(QLatin1String("key")).toString() + QLatin1Char(':') +
                              o.value(QLatin1String("source")).toString() + QLatin1String("->") +
                              o.value(QLatin1String("target")).toString();
    }
    QCOMPARE(dtypes, expectedDtypes);

    if (pair.value(QLatin1String("missing")).isNull())
        return; // torch aborted mid-walk (IndexError): it has no lists to compare against
    QCOMPARE(result->missing, stringList(pair.value(QLatin1String("missing"))));
    QCOMPARE(result->unexpected, stringList(pair.value(QLatin1String("unexpected"))));
    const QJsonArray shapes = pair.value(QLatin1String("shape_mismatch")).toArray();
    QCOMPARE(result->sizeMismatch.size(), shapes.size());
    for (int i = 0; i < shapes.size(); ++i) {
        const QJsonObject o = shapes.at(i).toObject();
        QCOMPARE(result->sizeMismatch.at(i).key, o.value(QLatin1String("key")).toString());
        QCOMPARE(result->sizeMismatch.at(i).sourceShape, shapeOf(o.value(QLatin1String("source"))));
        QCOMPARE(result->sizeMismatch.at(i).targetShape, shapeOf(o.value(QLatin1String("target"))));
    }
    QStringList matched;
    for (const MatchedKey& m : result->matched) {
        matched << m.key;
        QCOMPARE(source.stateDict.entries.at(m.sourceIndex).key, m.key);
    }
    QCOMPARE(matched, stringList(pair.value(QLatin1String("matched"))));
}

void TestLoadVerdict::checkpointAndScriptTargetsAgree()
{
#ifndef STATESCOPE_HAVE_TORCH_PLUGIN
    QSKIP("built without the LibTorch plugin");
#else
    // A TorchScript target and the state dict of the same model rebuild the same walk where keys can show it.
    const Opened script = open(QStringLiteral("diff_resnet18_target_ts.pt"), QJsonValue());
    const Opened plain = open(QStringLiteral("diff_resnet18_target.pt"), QJsonValue());
    const TargetModel a = targetOf(script);
    const TargetModel b = targetOf(plain);
    QStringList keysA, keysB;
    for (const TargetModule& m : a.modules())
        for (const TargetTensor& t : m.locals)
            keysA << t.key + (m.fillsNumBatchesTracked ? QStringLiteral("*") : QString());
    for (const TargetModule& m : b.modules())
        for (const TargetTensor& t : m.locals)
            keysB << t.key + (m.fillsNumBatchesTracked ? QStringLiteral("*") : QString());
    QCOMPARE(keysA, keysB);
    QCOMPARE(a.tensorCount(), int(plain.stateDict.entries.size()));
    // The archive knows the keyless modules (relu, maxpool, avgpool) a state dict cannot show.
    QVERIFY(a.modules().size() > b.modules().size());
    QCOMPARE(a.className(), QStringLiteral("ResNet"));
    QVERIFY(b.className().isEmpty());
#endif
}

void TestLoadVerdict::repeatedKeyKeepsFirstPositionLastTensor()
{
    PyArena arena;
    StateDict target;
    target.entries = {{QStringLiteral("a.weight"), makeTensor(arena, {2})},
                      {QStringLiteral("b.weight"), makeTensor(arena, {3})}};
    StateDict source;
    // As OrderedDict(pairs) would make it: "x" keeps its first place, a.weight takes the later [2] tensor.
    source.entries = {{QStringLiteral("a.weight"), makeTensor(arena, {5})},
                      {QStringLiteral("x"), makeTensor(arena, {1})},
                      {QStringLiteral("y"), makeTensor(arena, {1})},
                      {QStringLiteral("x"), makeTensor(arena, {1})},
                      {QStringLiteral("a.weight"), makeTensor(arena, {2})}};
    const auto result = computeLoadVerdict(source, TargetModel::fromStateDict(target, QStringLiteral("t.pt")),
                                           QStringLiteral("Net"));
    QCOMPARE(result->unexpected, (QStringList{QStringLiteral("x"), QStringLiteral("y")}));
    QCOMPARE(result->missing, QStringList{QStringLiteral("b.weight")});
    QVERIFY(result->sizeMismatch.isEmpty());
    QCOMPARE(result->matched.size(), 1);
    QCOMPARE(result->matched.front().sourceIndex, 4);
    QCOMPARE(result->torchError,
             QStringLiteral(
                 "Error(s) in loading state_dict for Net:\n\tMissing key(s) in state_dict: \"b.weight\". \n\t"
                 "Unexpected key(s) in state_dict: \"x\", \"y\". "));
}

void TestLoadVerdict::hostileKeysDoNotRecurse()
{
    PyArena arena;
    // 5000 levels: deep enough to overflow a recursive walk, within the path budget.
    const QString deep = QStringLiteral("m.").repeated(5000) + QStringLiteral("weight");
    StateDict target;
    target.entries = {{deep, makeTensor(arena, {1})}};
    StateDict source;
    source.entries = {{deep + QStringLiteral(".x"), makeTensor(arena, {1})},
                      {QStringLiteral("m.").repeated(100000) + QStringLiteral("zzz"), makeTensor(arena, {1})},
                      {QStringLiteral("m.").repeated(2500) + QStringLiteral("zzz"), makeTensor(arena, {1})}};
    const TargetModel model = TargetModel::fromStateDict(target, QStringLiteral("t.pt"));
    QCOMPARE(model.modules().size(), 5001);
    const auto result = computeLoadVerdict(source, model, QStringLiteral("Model"), LoadRules::Torch113);
    QCOMPARE(result->missing, QStringList{deep});
    // torch 1.13 ignores the key below the parameter; the others are unexpected, deepest module last.
    QCOMPARE(result->unexpected.size(), 2);
    QVERIFY(result->unexpected.at(0).size() < result->unexpected.at(1).size());
    // torch 2.13 reports it too, at the deepest module, before the other key that stops there (source order).
    const auto current = computeLoadVerdict(source, model, QStringLiteral("Model"));
    QCOMPARE(current->unexpected,
             (QStringList{source.entries.at(2).key, source.entries.at(0).key, source.entries.at(1).key}));

    // 200000 levels would need 40 G characters of module paths: refused with a message, not attempted.
    StateDict hostile;
    hostile.entries = {
        {QStringLiteral("m.").repeated(200000) + QStringLiteral("weight"), makeTensor(arena, {1})}};
    try {
        TargetModel::fromStateDict(hostile, QStringLiteral("t.pt"));
        QFAIL("a 200000-level key was accepted");
    } catch (const FormatError& e) {
        QVERIFY2(e.message().startsWith(QLatin1String("t.pt: ")), qPrintable(e.message()));
    }
}

void TestLoadVerdict::normTypesFromTorchScript()
{
    QVERIFY(TargetModel::isNormBaseType(QStringLiteral("__torch__.torch.nn.modules.batchnorm.BatchNorm2d")));
    QVERIFY(TargetModel::isNormBaseType(
        QStringLiteral("__torch__.torch.nn.modules.batchnorm.___torch_mangle_3.SyncBatchNorm")));
    QVERIFY(TargetModel::isNormBaseType(
        QStringLiteral("__torch__.torch.nn.modules.instancenorm.InstanceNorm1d")));
    QVERIFY(
        !TargetModel::isNormBaseType(QStringLiteral("__torch__.torch.nn.modules.normalization.LayerNorm")));
    QVERIFY(!TargetModel::isNormBaseType(QStringLiteral("__torch__.torchvision.ops.misc.FrozenBatchNorm2d")));
}

QTEST_GUILESS_MAIN(TestLoadVerdict)
#include "tst_load_verdict.moc"
