// The suggestion engine on refactors real projects make (renamed modules, wrappers, Sequential indices
// named, LayerNorm gamma/beta, a new head, prefixes), each pair built from real torch modules so that the
// truth (which source tensor belongs in which target key) is known by tensor identity
// (tests/fixtures/gen_refactors.py). The suggested plan must make the pair load and put every tensor where the
// truth says, with lossy rules only where the truth needs the model's own initialisation; then `fix` with that
// plan must write a file real torch loads, strict, into the refactored model with those exact values.

#include "support/fixtures.h"

#include "checkpoint/state_dict.h"
#include "diff/load_verdict.h"
#include "diff/target_model.h"
#include "formats/checkpoint_loader.h"
#include "repair/apply_plan.h"
#include "repair/repaired_state_dict.h"
#include "repair/suggestions.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace statescope;
using namespace statescope::test;

namespace {

QJsonArray refactorCases()
{
    return fixtureJson(QStringLiteral("refactors/cases.json")).value(QLatin1String("cases")).toArray();
}

QString planText(const RepairPlan& plan)
{
    return QString::fromUtf8(QJsonDocument(repairPlanJson(plan)).toJson(QJsonDocument::Indented));
}

} // namespace

class TestRefactors : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void suggestionsFindTheTruth_data();
    void suggestionsFindTheTruth();
};

void TestRefactors::initTestCase()
{
    qInfo("compared with torch %s", qPrintable(oracleTorchVersion()));
    QVERIFY2(!refactorCases().isEmpty(), "refactors/cases.json missing");
}

void TestRefactors::suggestionsFindTheTruth_data()
{
    QTest::addColumn<QJsonObject>("pair");
    for (const QJsonValue& v : refactorCases())
        QTest::newRow(qPrintable(v.toObject().value(QLatin1String("name")).toString())) << v.toObject();
}

void TestRefactors::suggestionsFindTheTruth()
{
    QFETCH(QJsonObject, pair);
    const QString name = pair.value(QLatin1String("name")).toString();
    const bool lossy = pair.value(QLatin1String("lossy")).toBool();
    const auto source = openCheckpoint(fixture(pair.value(QLatin1String("source")).toString()));
    const auto target = openCheckpoint(fixture(pair.value(QLatin1String("target")).toString()));
    const StateDict sourceDict = selectStateDict(*source, QString()); // a container's best state dict
    const StateDict targetDict = selectStateDict(*target, QString());
    const TargetModel model = TargetModel::forCheckpoint(*target, targetDict);
    QVERIFY(!computeLoadVerdict(sourceDict, model, QStringLiteral("Model"))->loadable);

    const QVector<Suggestion> suggestions = suggest(sourceDict, targetDict, model);
    const RepairPlan plan = suggestedPlan(suggestions, sourceDict, !lossy);
    QCOMPARE(plan.isLossless(), !lossy); // lossy rules exactly where the truth keeps the model's initialisation
    const auto repaired = applyPlan(plan, sourceDict, &targetDict);
    const auto verdict = computeLoadVerdict(repaired->view, model, QStringLiteral("Model"));
    QVERIFY2(verdict->loadable, qPrintable(verdict->torchError + QLatin1Char('\n') + planText(plan)));

    const QJsonObject truth = pair.value(QLatin1String("truth")).toObject();
    QCOMPARE(repaired->entries.size(), truth.size());
    for (const RepairedEntry& e : repaired->entries) {
        const QJsonValue want = truth.value(e.key);
        if (want.isNull()) {
            QVERIFY2(e.recipe.origin == TensorRecipe::Origin::Target,
                     qPrintable(e.key + QLatin1String(" should keep the model's initialisation\n") + planText(plan)));
        } else {
            QVERIFY2(e.recipe.origin == TensorRecipe::Origin::Source && e.sourceKey == want.toString(),
                     qPrintable(e.key + QLatin1String(" takes ") + e.sourceKey + QLatin1String(", the truth is ") +
                                want.toString() + QLatin1Char('\n') + planText(plan)));
        }
    }
    QStringList why;
    for (const Suggestion& s : suggestions) {
        QVERIFY(s.confidence > 0 && s.confidence <= 1);
        why << QString::number(s.rules.size()) + QLatin1String(" rule(s), ") + QString::number(s.confidence, 'f', 2) +
                   QLatin1String(": ") + s.reason;
    }
    qInfo("%s: %lld rules\n  %s", qPrintable(name), qlonglong(plan.rules.size()), qPrintable(why.join(QLatin1String("\n  "))));

    // `fix` with that plan; real torch loads the output into the refactored model, strict, and finds every
    // tensor the truth names (values of the source, or of the model's own checkpoint where it keeps its own).
    QTemporaryDir dir;
    const QString rules = dir.filePath(QStringLiteral("rules.json"));
    QFile rulesFile(rules);
    QVERIFY(rulesFile.open(QIODevice::WriteOnly));
    rulesFile.write(QJsonDocument(repairPlanJson(plan)).toJson());
    rulesFile.close();
    const QString out = dir.filePath(QStringLiteral("fixed.pt"));
    const ProcessResult fix = runStatescope({QStringLiteral("fix"), fixture(pair.value(QLatin1String("source")).toString()),
                                             QStringLiteral("--target"), fixture(pair.value(QLatin1String("target")).toString()),
                                             QStringLiteral("--rules"), rules, QStringLiteral("-o"), out});
    QVERIFY2(fix.exitCode == 0, fix.err.constData());
    const ProcessResult checked = runPython(QStringLiteral(R"(
import json, sys, torch
sys.path.insert(0, sys.argv[1])
import gen_refactors
out, source, target, name = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
truth = json.loads(sys.argv[6])
def load(path):
    try:
        ck = torch.load(path, weights_only=True)
    except Exception:
        # torch 1.13's weights_only reads no floats (the container's lr; docs/torch-versions.md row 18).
        if not torch.__version__.startswith("1."):
            raise
        ck = torch.load(path, weights_only=False)
    return ck["state_dict"] if "state_dict" in ck else ck  # a Lightning container keeps its layout
fixed = load(out)
model = gen_refactors.build(name)
model.load_state_dict(fixed, strict=True)
src = load(source)
tgt = load(target)
for key, origin in truth.items():
    want = tgt[key] if origin is None else src[origin]
    assert torch.equal(fixed[key], want), key
print(len(truth), "tensors where the truth puts them")
)"), {QStringLiteral(STATESCOPE_SOURCE_DIR "/tests/fixtures"), out, fixture(pair.value(QLatin1String("source")).toString()),
      fixture(pair.value(QLatin1String("target")).toString()), name,
      QString::fromUtf8(QJsonDocument(truth).toJson(QJsonDocument::Compact))});
    QVERIFY2(checked.exitCode == 0, checked.err.constData());
}

QTEST_GUILESS_MAIN(TestRefactors)
#include "tst_refactors.moc"
