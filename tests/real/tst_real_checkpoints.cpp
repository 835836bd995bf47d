// Real checkpoints nobody here wrote: trained weights shipped in PyPI wheels (tests/real/corpus.json), fetched
// by scripts/fetch-real-checkpoints.sh. For each file StateScope must list the tensors torch loads (key,
// dtype, shape, stride, offset, in order), say what torch 2.x's weights_only does with it, and where the
// package's model class can be built here, give torch's own verdict for loading the shipped weights into it.
// What real.json records comes from describe_real.py run with the oracle's torch.

#include "support/fixtures.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/inspect_report.h"
#include "checkpoint/state_dict.h"
#include "checkpoint/weights_only.h"
#include "diff/load_verdict.h"
#include "diff/target_model.h"
#include "formats/checkpoint_loader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace statescope;
using namespace statescope::test;

namespace {

QJsonObject realJson()
{
    return fixtureJson(QStringLiteral("real/real.json"));
}

QString cacheFile(const QString& name)
{
    return qEnvironmentVariable("STATESCOPE_REAL_CACHE") + QLatin1String("/files/") + name;
}

QStringList stringList(const QJsonValue& value)
{
    QStringList out;
    for (const QJsonValue& v : value.toArray())
        out << v.toString();
    return out;
}

} // namespace

class TestRealCheckpoints : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void inspectListsWhatTorchLoads_data();
    void inspectListsWhatTorchLoads();
    void verdictEqualsTorch_data();
    void verdictEqualsTorch();
};

void TestRealCheckpoints::initTestCase()
{
    const QJsonObject real = realJson();
    if (real.isEmpty())
        QSKIP(qPrintable(QLatin1String("no real/real.json: ") + QString::fromUtf8(QFile(fixture(QStringLiteral("real/UNAVAILABLE"))).exists()
                                                                          ? "the oracle is unavailable" : "describe_real.py did not run")));
    qInfo("compared with torch %s", qPrintable(real.value(QLatin1String("torch")).toString()));
}

void TestRealCheckpoints::inspectListsWhatTorchLoads_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QJsonObject>("torch");
    const QJsonObject files = realJson().value(QLatin1String("files")).toObject();
    for (auto it = files.begin(); it != files.end(); ++it)
        QTest::newRow(qPrintable(it.key())) << it.key() << it.value().toObject();
}

void TestRealCheckpoints::inspectListsWhatTorchLoads()
{
    QFETCH(QString, file);
    QFETCH(QJsonObject, torch);
    if (torch.contains(QLatin1String("unavailable")))
        QSKIP(qPrintable(torch.value(QLatin1String("unavailable")).toString()));
#ifndef STATESCOPE_HAVE_TORCH_PLUGIN
    if (torch.value(QLatin1String("kind")).toString() == QLatin1String("torchscript"))
        QSKIP("built without the LibTorch plugin, which TorchScript archives need");
#endif
    const auto checkpoint = openCheckpoint(cacheFile(file));
    const StateDict sd = selectStateDict(*checkpoint, QString());
    const QJsonObject dicts = torch.value(QLatin1String("dicts")).toObject();
    QVERIFY2(dicts.contains(sd.path), qPrintable(QLatin1String("StateScope chose '") + sd.path +
                                                 QLatin1String("', which torch does not find to be a dict of tensors")));
    const QJsonArray want = dicts.value(sd.path).toArray();
    QCOMPARE(sd.entries.size(), want.size());
    for (qsizetype i = 0; i < want.size(); ++i) {
        const QJsonObject t = want[i].toObject();
        const QJsonObject got = tensorRecordJson(*checkpoint, sd.entries[i]);
        for (const char* field : {"key", "dtype", "shape", "stride", "offset"})
            QCOMPARE(got.value(QLatin1String(field)), t.value(QLatin1String(field)));
    }
    // Each other dict of tensors torch finds is one of StateScope's candidates too.
    QStringList candidates;
    for (const StateDict& c : findStateDicts(*checkpoint))
        candidates << c.path;
    for (auto it = dicts.begin(); it != dicts.end(); ++it)
        QVERIFY2(candidates.contains(it.key()), qPrintable(QLatin1String("missed the state dict at '") + it.key() + QLatin1Char('\'')));

    const QJsonObject weightsOnly = torch.value(QLatin1String("weights_only")).toObject();
    if (!weightsOnly.isEmpty() && oracleTorchVersion().startsWith(QLatin1String("2.13."))) { // the torch StateScope follows
        const WeightsOnlyVerdict verdict = weightsOnlyVerdict(*checkpoint);
        QCOMPARE(verdict.loads(), weightsOnly.value(QLatin1String("loads")).toBool());
        if (!verdict.loads())
            QCOMPARE(verdict.reason, weightsOnly.value(QLatin1String("reason")).toString());
    }
    qInfo("%s: %lld tensors as torch lists them, state dict '%s'", qPrintable(file), qlonglong(sd.entries.size()), qPrintable(sd.path));
}

void TestRealCheckpoints::verdictEqualsTorch_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QJsonObject>("torch");
    const QJsonObject verdicts = realJson().value(QLatin1String("verdicts")).toObject();
    for (auto it = verdicts.begin(); it != verdicts.end(); ++it)
        QTest::newRow(qPrintable(it.key())) << it.key() << it.value().toObject();
}

void TestRealCheckpoints::verdictEqualsTorch()
{
    QFETCH(QString, name);
    QFETCH(QJsonObject, torch);
    if (torch.contains(QLatin1String("unavailable")))
        QSKIP(qPrintable(torch.value(QLatin1String("unavailable")).toString()));
    QString targetPath = torch.value(QLatin1String("target")).toString();
    if (!QFileInfo(targetPath).isAbsolute())
        targetPath = cacheFile(targetPath);
#ifndef STATESCOPE_HAVE_TORCH_PLUGIN
    if (targetPath.endsWith(QLatin1String(".jit")))
        QSKIP("built without the LibTorch plugin, which TorchScript archives need");
#endif
    const auto source = openCheckpoint(cacheFile(torch.value(QLatin1String("source")).toString()));
    const auto target = openCheckpoint(targetPath);
    const StateDict sourceDict = selectStateDict(*source, QString());
    const StateDict targetDict = selectStateDict(*target, QString());
    const TargetModel model = TargetModel::forCheckpoint(*target, targetDict);
    const auto result = computeLoadVerdict(sourceDict, model, torch.value(QLatin1String("model_name")).toString());
    const QJsonValue error = torch.value(QLatin1String("torch_error"));
    QCOMPARE(result->loadable, error.isNull());
    QCOMPARE(result->torchError, error.toString()); // byte for byte
    QCOMPARE(result->missing, stringList(torch.value(QLatin1String("missing"))));
    QCOMPARE(result->unexpected, stringList(torch.value(QLatin1String("unexpected"))));
    qInfo("%s: %s", qPrintable(name), error.isNull() ? "loads" : qPrintable(error.toString().section(QLatin1Char('\n'), 0, 1)));
}

QTEST_GUILESS_MAIN(TestRealCheckpoints)
#include "tst_real_checkpoints.moc"
