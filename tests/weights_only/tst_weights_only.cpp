// StateScope says what torch.load(weights_only=True) of torch 2.x does with a file: whether it loads, where it
// stops and with which sentence, and what torch.serialization.add_safe_globals would have to allow. Each
// claim is checked against the oracle's own torch.load and get_unsafe_globals_in_checkpoint on the same files
// (tests/fixtures/gen_weights_only.py). Under torch 1.13 the allowlist differences are the documented ones.

#include "support/fixtures.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/global_safety.h"
#include "checkpoint/inspect_report.h"
#include "checkpoint/state_dict.h"
#include "checkpoint/weights_only.h"
#include "formats/checkpoint_loader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace statescope;
using namespace statescope::test;

namespace {

QString caseFile(const QString& name) { return fixture(QLatin1String("weights_only/") + name); }

QJsonObject oracleCases() { return fixtureJson(QStringLiteral("weights_only/cases.json")); }

bool oracleIsTorch2() { return !oracleTorchVersion().startsWith(QLatin1String("1.")); }

// StateScope states torch 2.13's weights_only decisions: exactly comparable with that torch only.
bool oracleIsTorch213() { return oracleTorchVersion().startsWith(QLatin1String("2.13.")); }

QSet<QString> toSet(const QJsonArray& array)
{
    QSet<QString> out;
    for (const auto& v : array)
        out.insert(v.toString());
    return out;
}

// What torch 1.13's weights_only decided differently from torch 2.13's (docs/torch-versions.md): names 2.x
// added (dtypes, set/complex/bytearray/Counter, newer rebuild functions) and one it dropped.
const QSet<QString>& torch113Differences()
{
    static const QSet<QString> names = [] {
        QSet<QString> s{
            QStringLiteral("_codecs.encode"), QStringLiteral("builtins.bytearray"), QStringLiteral("builtins.complex"),
            QStringLiteral("builtins.set"), QStringLiteral("collections.Counter"),
            QStringLiteral("torch._tensor._rebuild_from_type_v2"),
            QStringLiteral("torch._utils._rebuild_device_tensor_from_cpu_tensor"),
            QStringLiteral("torch._utils._rebuild_device_tensor_from_numpy"),
            QStringLiteral("torch._utils._rebuild_nested_tensor"),
            QStringLiteral("torch._utils._rebuild_parameter_with_state"), QStringLiteral("torch._utils._rebuild_qtensor"),
            QStringLiteral("torch._utils._rebuild_tensor_v3"), QStringLiteral("torch._utils._rebuild_wrapper_subclass"),
            QStringLiteral("torch._utils._rebuild_sparse_csr_tensor"), QStringLiteral("torch.device"),
            QStringLiteral("torch.per_channel_affine"), QStringLiteral("torch.per_channel_affine_float_qparams"),
            QStringLiteral("torch.per_channel_symmetric"), QStringLiteral("torch.per_tensor_affine"),
            QStringLiteral("torch.per_tensor_symmetric"),
        };
        for (const char* d : {"bfloat16", "bool", "uint8", "qint32", "qint8", "quint2x4", "quint4x2", "quint8",
                              "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz", "float8_e8m0fnu",
                              "float4_e2m1fn_x2", "uint16", "uint32", "uint64", "bits16", "bits1x8", "bits2x4",
                              "bits4x2", "bits8"})
            s.insert(QLatin1String("torch.") + QLatin1String(d));
        for (int bits = 1; bits <= 7; ++bits) {
            s.insert(QStringLiteral("torch.uint%1").arg(bits));
            s.insert(QStringLiteral("torch.int%1").arg(bits));
        }
        return s;
    }();
    return names;
}

} // namespace

class TestWeightsOnly : public QObject
{
    Q_OBJECT

private slots:
    void allowlistIsTheOracles();
    void verdictMatchesTorch_data();
    void verdictMatchesTorch();
    void tensorsMatchTorch_data();
    void tensorsMatchTorch();
    void inspectJsonCarriesTheVerdict();
    void fixOutputLoadsWithWeightsOnlyAndMmap_data();
    void fixOutputLoadsWithWeightsOnlyAndMmap();
};

void TestWeightsOnly::allowlistIsTheOracles()
{
    qInfo("compared with torch %s", qPrintable(oracleTorchVersion()));
    const QJsonObject oracle = fixtureJson(QStringLiteral("weights_only/allowlist.json"));
    const QSet<QString> allowed = toSet(oracle.value(QLatin1String("allowed")).toArray());
    QVERIFY2(allowed.size() > 50, "the oracle's allowlist is missing");
    // Every name either torch allows, plus names both refuse, judged by StateScope; the disagreements must be
    // none (torch 2.x) or exactly the documented ones (torch 1.13).
    QSet<QString> names = allowed + torch113Differences();
    for (const char* refused : {"builtins.frozenset", "argparse.Namespace", "torch.sparse_coo", "torch.strided",
                                "torch.UntypedStorage", "torch._utils._rebuild_xla_tensor", "numpy.dtype", "posix.system"})
        names.insert(QLatin1String(refused));
    QSet<QString> disagreements;
    for (const QString& name : names) {
        const bool ours = globalSafety(name) == GlobalSafety::Allowed;
        if (ours != allowed.contains(name))
            disagreements.insert(name);
    }
    if (oracleIsTorch213()) {
        QVERIFY2(disagreements.isEmpty(), qPrintable(QStringList(disagreements.cbegin(), disagreements.cend()).join(QLatin1String(", "))));
    } else if (oracleIsTorch2()) {
        // Another 2.x (Debian 13's python3-torch is 2.6): its list is its own; say how it differs.
        QStringList names(disagreements.cbegin(), disagreements.cend());
        names.sort();
        QSKIP(qPrintable(QLatin1String("StateScope follows torch 2.13's allowlist; torch ") + oracleTorchVersion() +
                         QLatin1String(" decides these differently: ") + (names.isEmpty() ? QStringLiteral("none") : names.join(QLatin1String(", ")))));
    } else {
        const QSet<QString> unexpected = disagreements - torch113Differences();
        const QSet<QString> undocumented = torch113Differences() - disagreements;
        QVERIFY2(unexpected.isEmpty(), qPrintable(QStringList(unexpected.cbegin(), unexpected.cend()).join(QLatin1String(", "))));
        QVERIFY2(undocumented.isEmpty(), qPrintable(QStringList(undocumented.cbegin(), undocumented.cend()).join(QLatin1String(", "))));
    }
    // Python 2 spellings are judged under their Python 3 names, as torch maps them.
    QCOMPARE(globalSafety(QStringLiteral("__builtin__.set")), GlobalSafety::Allowed);
}

void TestWeightsOnly::verdictMatchesTorch_data()
{
    QTest::addColumn<QString>("file");
    const QJsonObject cases = oracleCases();
    for (auto it = cases.begin(); it != cases.end(); ++it)
        QTest::newRow(qPrintable(it.key())) << it.key();
    if (cases.isEmpty())
        QTest::newRow("cases.json") << QString();
}

void TestWeightsOnly::verdictMatchesTorch()
{
    QFETCH(QString, file);
    QVERIFY2(!file.isEmpty(), "weights_only/cases.json is missing");
    if (!oracleIsTorch213())
        QSKIP("StateScope states torch 2.13's weights_only verdict; other torches' allowlist differences are pinned or listed by allowlistIsTheOracles");
    const QJsonObject want = oracleCases().value(file).toObject();
    const auto checkpoint = openCheckpoint(caseFile(file));
    const WeightsOnlyVerdict got = weightsOnlyVerdict(*checkpoint);
    QVERIFY(got.applies);
    QCOMPARE(got.loads(), want.value(QLatin1String("loads")).toBool());
    if (!got.loads()) {
        // torch's sentence for a refused global ends its line; the TorchScript one is followed by boilerplate.
        const QString torchLine = want.value(QLatin1String("reason")).toString();
        QVERIFY2(!got.reason.isEmpty() && torchLine.startsWith(got.reason),
                 qPrintable(QLatin1String("ours: ") + got.reason + QLatin1String("\ntorch: ") + torchLine));
        if (got.stop == WeightsOnlyVerdict::Stop::Global)
            QCOMPARE(got.reason, torchLine);
    }
    if (want.contains(QLatin1String("unsafe_globals"))) {
        const QSet<QString> torchUnsafe = toSet(want.value(QLatin1String("unsafe_globals")).toArray());
        const QSet<QString> ours = QSet<QString>(got.safeGlobalsNeeded.cbegin(), got.safeGlobalsNeeded.cend()) +
                                   QSet<QString>(got.blockedGlobals.cbegin(), got.blockedGlobals.cend());
        QCOMPARE(ours, torchUnsafe);
    }
}

void TestWeightsOnly::tensorsMatchTorch_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("zip") << QStringLiteral("torch2_dtypes.pt");
    QTest::newRow("legacy") << QStringLiteral("torch2_dtypes_legacy.pt");
    QTest::newRow("subclass and parameter with state") << QStringLiteral("subclass.pt");
}

void TestWeightsOnly::tensorsMatchTorch()
{
    QFETCH(QString, file);
    const QJsonObject want = oracleCases().value(file).toObject();
    if (want.isEmpty()) {
        QVERIFY2(!oracleIsTorch2() && file.startsWith(QLatin1String("torch2_")), "the oracle must have written this fixture");
        QSKIP("torch 1.13 has no float8, uint16/32/64 or bits dtypes to save");
    }
    const auto checkpoint = openCheckpoint(caseFile(file));
    const StateDict sd = selectStateDict(*checkpoint, QString());
    const QJsonArray tensors = want.value(QLatin1String("tensors")).toArray();
    QCOMPARE(sd.entries.size(), tensors.size());
    for (int i = 0; i < tensors.size(); ++i) {
        const QJsonObject t = tensors[i].toObject();
        const QJsonObject got = tensorRecordJson(*checkpoint, sd.entries[i]);
        for (const char* field : {"key", "dtype", "shape", "stride", "offset", "nbytes"})
            QCOMPARE(got.value(QLatin1String(field)), t.value(QLatin1String(field)));
    }
}

void TestWeightsOnly::inspectJsonCarriesTheVerdict()
{
    const ProcessResult r = runStatescope({QStringLiteral("inspect"), QStringLiteral("--json"), caseFile(QStringLiteral("namespace.ckpt"))});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject wo = QJsonDocument::fromJson(r.out).object().value(QLatin1String("weights_only")).toObject();
    QCOMPARE(wo.value(QLatin1String("loads")).toBool(true), false);
    QCOMPARE(wo.value(QLatin1String("global")).toString(), QStringLiteral("argparse.Namespace"));
    QCOMPARE(wo.value(QLatin1String("record")).toString(), QStringLiteral("data.pkl"));
    // The class names are the pickling Python's own (Python 3.13 names pathlib._local.PurePosixPath).
    const QStringList needed = [&] {
        QStringList out;
        for (const QJsonValue& v : wo.value(QLatin1String("safe_globals_needed")).toArray())
            out << v.toString();
        return out;
    }();
    QCOMPARE(needed.size(), 2);
    QCOMPARE(needed.first(), QStringLiteral("argparse.Namespace"));
    QVERIFY(needed.last().startsWith(QLatin1String("pathlib.")) && needed.last().endsWith(QLatin1String(".PurePosixPath")));
    const QJsonValue torchSays = oracleCases().value(QStringLiteral("namespace.ckpt")).toObject().value(QLatin1String("unsafe_globals"));
    if (torchSays.isArray())
        QCOMPARE(QSet<QString>(needed.cbegin(), needed.cend()), toSet(torchSays.toArray()));
    const ProcessResult text = runStatescope({QStringLiteral("inspect"), caseFile(QStringLiteral("namespace.ckpt"))});
    const QByteArray advice = "torch.serialization.add_safe_globals([" + needed.join(QLatin1String(", ")).toUtf8() + "])";
    QVERIFY2(text.out.contains(advice), text.out.constData());
}

void TestWeightsOnly::fixOutputLoadsWithWeightsOnlyAndMmap_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("twin"); // a file torch itself loads with the same tensors
    QTest::newRow("plain") << QStringLiteral("plain.pt") << QStringLiteral("plain.pt");
    QTest::newRow("set and complex") << QStringLiteral("set_complex.pt") << QStringLiteral("set_complex.pt");
    QTest::newRow("torch 2 dtypes") << QStringLiteral("torch2_dtypes.pt") << QStringLiteral("torch2_dtypes.pt");
    // torch 2.x cannot read its own legacy file with these dtypes; the fix output must load like the zip twin.
    QTest::newRow("torch 2 dtypes, legacy") << QStringLiteral("torch2_dtypes_legacy.pt") << QStringLiteral("torch2_dtypes.pt");
}

void TestWeightsOnly::fixOutputLoadsWithWeightsOnlyAndMmap()
{
    QFETCH(QString, file);
    QFETCH(QString, twin);
    if (!oracleCases().contains(file)) {
        QVERIFY2(!oracleIsTorch2(), "torch 2.x must have written this fixture");
        QSKIP("torch 1.13 has no float8, uint16/32/64 or bits dtypes to save");
    }
    if (!oracleIsTorch2() && file == QLatin1String("set_complex.pt"))
        QSKIP("torch 1.13's weights_only refuses builtins.set and complex, in the source as in the output");
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("fixed.pt"));
    const ProcessResult fix = runStatescope({QStringLiteral("fix"), caseFile(file), QStringLiteral("--target"), caseFile(twin),
                                             QStringLiteral("--auto"), QStringLiteral("-o"), out});
    QVERIFY2(fix.exitCode == 0, fix.err.constData());
    // torch 1.13 has no mmap argument; 2.x maps the archive and reads every tensor from the mapping.
    const ProcessResult loaded = runPython(QStringLiteral(R"(
import sys, torch
kw = {"mmap": True} if int(torch.__version__.split(".")[0]) >= 2 else {}
got = torch.load(sys.argv[1], weights_only=True, **kw)
want = torch.load(sys.argv[2], weights_only=False)
def tensors(d):
    if isinstance(d, dict) and "state_dict" in d:
        d = d["state_dict"]
    return {k: v for k, v in d.items() if isinstance(v, torch.Tensor)}
got, want = tensors(got), tensors(want)
assert list(got) == list(want), (list(got), list(want))
for k in want:
    a, b = got[k], want[k]
    assert a.dtype == b.dtype and a.shape == b.shape and a.stride() == b.stride(), k
    assert a.contiguous().reshape(-1).view(torch.uint8).tolist() == b.contiguous().reshape(-1).view(torch.uint8).tolist(), k
print(len(want), "tensors equal", "mmap" if kw else "")
)"), {out, caseFile(twin)});
    QVERIFY2(loaded.exitCode == 0, loaded.err.constData());
    qInfo("%s", loaded.out.trimmed().constData());
}

QTEST_GUILESS_MAIN(TestWeightsOnly)
#include "tst_weights_only.moc"
