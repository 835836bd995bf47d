// torch.export.save archives of torch 2.x as StateScope reads them: the state dict in the order the original
// model's state_dict() returns it, every tensor's metadata and bytes as torch.save wrote them for that model,
// the module tree with the classes the program records, usable as SOURCE and TARGET; broken archives end in
// one clear error. The archives and their twins come from tests/fixtures/gen_torch_export.py and
// gen_diff_pairs.py.

#include "support/fixtures.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/inspect_report.h"
#include "checkpoint/state_dict.h"
#include "diff/load_verdict.h"
#include "diff/target_model.h"
#include "formats/checkpoint_loader.h"
#include "formats/format_error.h"

#include <QDir>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace statescope;
using namespace statescope::test;

namespace {

// Skips the calling test when the oracle's torch cannot write .pt2 archives (torch 1.13).
bool exportAvailable()
{
    return !QFile::exists(fixture(QStringLiteral("export/UNAVAILABLE")));
}

// Every .pt2 archive of the fixtures with the torch.save'd state_dict() of the same model.
QStringList archivesWithTwins()
{
    QStringList out;
    const QDir dir(fixtureDir());
    for (const QString& name : dir.entryList({QStringLiteral("diff_*_target.pt2")}, QDir::Files, QDir::Name))
        out << name;
    for (const QString& name : QDir(dir.filePath(QStringLiteral("export"))).entryList({QStringLiteral("mixed.pt2")}))
        out << QLatin1String("export/") + name;
    return out;
}

QString twinOf(const QString& archive) { return archive.chopped(1); } // x.pt2 -> x.pt

} // namespace

class TestTorchExport : public QObject
{
    Q_OBJECT

private slots:
    void stateDictMatchesTheModel_data();
    void stateDictMatchesTheModel();
    void moduleTreeAndClass();
    void asSourceItLoadsIntoTheModel();
    void fixWritesWhatTorchLoads();
    void brokenArchives_data();
    void brokenArchives();
};

void TestTorchExport::stateDictMatchesTheModel_data()
{
    QTest::addColumn<QString>("archive");
    if (!exportAvailable()) {
        QTest::newRow("torch.export unavailable") << QString();
        return;
    }
    for (const QString& name : archivesWithTwins())
        QTest::newRow(qPrintable(name)) << name;
}

void TestTorchExport::stateDictMatchesTheModel()
{
    QFETCH(QString, archive);
    qInfo("compared with torch %s", qPrintable(oracleTorchVersion()));
    if (archive.isEmpty())
        QSKIP("the oracle's torch.export.save writes no PT2 archive (torch 2.6 and older)");
    const auto exported = openCheckpoint(fixture(archive));
    QCOMPARE(exported->format(), CheckpointFormat::TorchExport);
    const auto twin = openCheckpoint(fixture(twinOf(archive)));
    const StateDict got = selectStateDict(*exported, QString());
    const StateDict want = selectStateDict(*twin, QString());
    QCOMPARE(got.entries.size(), want.entries.size());
    for (qsizetype i = 0; i < want.entries.size(); ++i) {
        const PyTensor& a = *got.entries[i].tensor;
        const PyTensor& b = *want.entries[i].tensor;
        QCOMPARE(got.entries[i].key, want.entries[i].key); // model.state_dict() order
        QCOMPARE(a.dtype, b.dtype);
        QCOMPARE(a.shape, b.shape);
        QCOMPARE(a.stride, b.stride);
        // The bytes the tensor spans, from each file's mapping.
        const qint64 element = dtypeElementSize(a.dtype);
        const QByteArrayView bytesA = exported->bytesOf(a.storage).sliced(a.storageOffset * element, a.storageExtent() * element);
        const QByteArrayView bytesB = twin->bytesOf(b.storage).sliced(b.storageOffset * element, b.storageExtent() * element);
        QVERIFY2(bytesA == bytesB, qPrintable(got.entries[i].key));
    }
}

void TestTorchExport::moduleTreeAndClass()
{
    if (!exportAvailable())
        QSKIP("the oracle's torch.export.save writes no PT2 archive (torch 2.6 and older)");
    const auto exported = openCheckpoint(fixture(QStringLiteral("export/mixed.pt2")));
    const StateDict sd = selectStateDict(*exported, QString());
    const TargetModel model = TargetModel::forCheckpoint(*exported, sd);
    QCOMPARE(model.className(), QStringLiteral("Mixed"));
    QStringList paths;
    for (const TargetModule& m : model.modules())
        paths << m.path + QLatin1Char('=') + m.typeName.section(QLatin1Char('.'), -1);
    // named_modules() order, the keyless ReLU included; the called modules carry their class.
    QCOMPARE(paths, (QStringList{QStringLiteral("=Mixed"), QStringLiteral("head=Linear"), QStringLiteral("stats=Stats"),
                                 QStringLiteral("body=Sequential"), QStringLiteral("body.0=Linear"), QStringLiteral("body.1=ReLU"),
                                 QStringLiteral("body.2=BatchNorm1d"), QStringLiteral("unused="), QStringLiteral("emb=Embedding"),
                                 QStringLiteral("tied=Linear")}));
    // The non-persistent buffer is not part of state_dict(), as in torch; tied weights are two keys.
    QStringList keys;
    for (const StateDictEntry& e : sd.entries)
        keys << e.key;
    QVERIFY(!keys.contains(QStringLiteral("cache")));
    QVERIFY(keys.contains(QStringLiteral("tied.weight")) && keys.contains(QStringLiteral("emb.weight")));
    const ProcessResult text = runStatescope({QStringLiteral("inspect"), fixture(QStringLiteral("export/mixed.pt2"))});
    const QByteArray header = fixture(QStringLiteral("export/mixed.pt2")).toUtf8() + QByteArray(": torch-export, class Mixed\n");
    QVERIFY2(text.out.startsWith(header), text.out.constData());
}

void TestTorchExport::asSourceItLoadsIntoTheModel()
{
    if (!exportAvailable())
        QSKIP("the oracle's torch.export.save writes no PT2 archive (torch 2.6 and older)");
    // The exported weights into the model's own state dict: torch loads them (the values are the model's).
    const ProcessResult r = runStatescope({QStringLiteral("diff"), fixture(QStringLiteral("export/mixed.pt2")),
                                           fixture(QStringLiteral("export/mixed.pt")), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("\"loadable\": true"), r.out.constData());
    QVERIFY(r.out.contains("\"format\": \"torch-export\""));
}

void TestTorchExport::fixWritesWhatTorchLoads()
{
    if (!exportAvailable())
        QSKIP("the oracle's torch.export.save writes no PT2 archive (torch 2.6 and older)");
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("weights.pt"));
    const ProcessResult fix = runStatescope({QStringLiteral("fix"), fixture(QStringLiteral("export/mixed.pt2")), QStringLiteral("--target"),
                                             fixture(QStringLiteral("export/mixed.pt2")), QStringLiteral("--auto"), QStringLiteral("-o"), out});
    QVERIFY2(fix.exitCode == 0, fix.err.constData());
    // Real torch loads the output, weights_only and mmap, into the original model with strict=True.
    const ProcessResult loaded = runPython(QStringLiteral(R"(
import sys, torch
sys.path.insert(0, sys.argv[3])
import gen_torch_export
sd = torch.load(sys.argv[1], weights_only=True, mmap=True)
model = gen_torch_export.Mixed()
model.load_state_dict(sd, strict=True)
want = torch.load(sys.argv[2], weights_only=True)
assert list(sd) == list(want), (list(sd), list(want))
assert all(torch.equal(sd[k], want[k]) for k in want)
print(len(sd), "tensors load")
)"), {out, fixture(QStringLiteral("export/mixed.pt")), QStringLiteral(STATESCOPE_SOURCE_DIR "/tests/fixtures")});
    QVERIFY2(loaded.exitCode == 0, loaded.err.constData());
}

void TestTorchExport::brokenArchives_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("message");
    QTest::newRow("offset") << "bad_offset.pt2" << "weight head.weight spans 1000000000000+8 elements, beyond its record";
    QTest::newRow("dtype") << "bad_dtype.pt2" << "weight head.bias: unknown tensor_meta dtype 99";
    QTest::newRow("path") << "escaping_path.pt2" << "weight head.bias: bad path_name '../../etc/passwd'";
    QTest::newRow("pickled") << "pickled_weight.pt2" << "weight head.bias is a pickled tensor subclass (use_pickle)";
    QTest::newRow("symbolic") << "symbolic_size.pt2" << "weight head.weight: sizes, strides and storage_offset must be concrete";
    QTest::newRow("no config") << "no_config.pt2" << "the archive has no data/weights/model_weights_config.json record";
    QTest::newRow("bad json") << "bad_json.pt2" << "models/model.json is not a JSON object";
    QTest::newRow("torch 2.6 layout") << "old_layout.pt2" << "a torch.export archive in the older layout (serialized_exported_program.json";
}

void TestTorchExport::brokenArchives()
{
    QFETCH(QString, file);
    QFETCH(QString, message);
    if (!exportAvailable())
        QSKIP("the oracle's torch.export.save writes no PT2 archive (torch 2.6 and older)");
    const QString path = fixture(QLatin1String("export/") + file);
    try {
        openCheckpoint(path);
        QFAIL("opened a broken archive");
    } catch (const FormatError& e) {
        QVERIFY2(e.message().startsWith(path + QLatin1String(": ")) && e.message().contains(message), qPrintable(e.message()));
        QVERIFY(!e.message().contains(QLatin1Char('\n')));
    }
}

QTEST_GUILESS_MAIN(TestTorchExport)
#include "tst_torch_export.moc"
