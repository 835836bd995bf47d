// The writers of model/export, checked by loading every written file with real torch (verify_export.py).
#include "checkpoint/checkpoint.h"
#include "checkpoint/state_dict.h"
#include "export/exporter.h"
#include "export/pickle_writer.h"
#include "export/source_file.h"
#include "formats/mapped_file.h"
#include "formats/zip_archive.h"
#include "formats/pickle_reader.h"
#include "formats/checkpoint_loader.h"
#include "formats/format_error.h"
#include "repair/repaired_state_dict.h"
#include "support/fixtures.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

using namespace statescope;
using namespace statescope::test;

namespace {

test::ProcessResult verify(const QStringList& arguments)
{
    QProcess p;
    p.setProgram(test::pythonPath());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("STATESCOPE_ENGINE_TORCH"), QStringLiteral(STATESCOPE_LIBTORCH_VERSION));
    p.setProcessEnvironment(environment);
    p.setArguments(QStringList{QLatin1String(STATESCOPE_EXPORT_VERIFY)} + arguments);
    p.start();
    p.waitForFinished(300000);
    test::ProcessResult r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QByteArray sha256(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return h.result();
}

// Entries of a folder besides . and .., hidden ones (temp files) included.
QStringList entries(const QString& dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
}

const PyTensor* tensorOf(const StateDict& sd, const QString& key)
{
    for (const auto& e : sd.entries)
        if (e.key == key)
            return e.tensor;
    return nullptr;
}

} // namespace

class TestExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void torchZip_data();
    void torchZip();
    void zipLayout_data();
    void zipLayout();
    void sourceFileKnowsRecords();
    void plainExportLoadsNoLibTorch_data();
    void plainExportLoadsNoLibTorch();
    void safetensors_data();
    void safetensors();
    void hostileGlobalsAreDropped();
    void pickleRoundTrip_data();
    void pickleRoundTrip();
    void hostilePickle_data();
    void hostilePickle();
    void recipes();
    void unwritableFolder_data();
    void unwritableFolder();
    void fileSizeLimit_data();
    void fileSizeLimit();
    void refusedTensorLeavesNothing();
    void cancelLeavesNothing();
    void refusesToReplaceTheSource();
};

void TestExport::torchZip_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("selected");
    QTest::addColumn<bool>("weightsOnly");   // the written file must load with weights_only=True
    QTest::addColumn<bool>("stateDictOnly");
    QTest::addColumn<QString>("module");     // load_state_dict(strict=True) into it
    QTest::addColumn<bool>("sharing");       // storage sharing groups must match the source's
    QTest::addColumn<bool>("byteswap");      // a big-endian file: unless the oracle reads its byteorder record

    QTest::newRow("resnet18") << "resnet18.pt" << "" << true << false << "resnet18" << true << false;
    QTest::newRow("plain container") << "export_plain.pt" << "state_dict" << true << false << "small" << true << false;
    QTest::newRow("plain state dict only") << "export_plain.pt" << "state_dict" << true << true << "small" << true << false;
    QTest::newRow("objects container") << "export_container.pt" << "state_dict" << false << false << "small" << true << false;
    QTest::newRow("lightning") << "lightning.ckpt" << "state_dict" << false << false << "none" << true << false;
    QTest::newRow("ema") << "model_ema.pt" << "model" << false << false << "small" << true << false;
    QTest::newRow("weights only container") << "export_weights_only.pt" << "state_dict" << true << false << "small" << true << false;
    QTest::newRow("dtypes") << "dtypes.pt" << "" << true << false << "none" << true << false;
    QTest::newRow("views") << "views.pt" << "" << true << false << "none" << true << false;
    QTest::newRow("cuda tagged") << "cuda_tagged.pt" << "" << true << false << "small" << true << false;
    QTest::newRow("protocol 4") << "protocol4.pt" << "" << true << false << "small" << true << false;
    QTest::newRow("dataparallel") << "dataparallel.pt" << "" << true << false << "none" << true << false;
    QTest::newRow("big-endian zip") << "values_be.pt" << "" << true << false << "none" << true << true;
    QTest::newRow("legacy resnet18") << "legacy_resnet18.pt" << "" << true << false << "resnet18" << true << false;
    QTest::newRow("legacy dtypes") << "legacy_dtypes.pt" << "" << true << false << "none" << true << false;
    QTest::newRow("legacy tied") << "legacy_tied.pt" << "" << true << false << "none" << true << false;
    QTest::newRow("legacy container") << "legacy_container.pt" << "state_dict" << false << false << "none" << true << false;
    QTest::newRow("legacy big-endian") << "legacy_bigendian.pt" << "" << true << false << "none" << true << false;
    QTest::newRow("legacy cuda") << "legacy_cuda.pt" << "" << true << false << "none" << true << false;
    QTest::newRow("legacy tar") << "legacy_tar_model.tar" << "state_dict" << true << false << "none" << true << false;
    QTest::newRow("safetensors") << "safetensors/resnet18.safetensors" << "" << true << true << "resnet18" << false << false;
}

void TestExport::torchZip()
{
    QFETCH(QString, file);
    QFETCH(QString, selected);
    QFETCH(bool, weightsOnly);
    QFETCH(bool, stateDictOnly);
    QFETCH(QString, module);
    QFETCH(bool, sharing);
    QFETCH(bool, byteswap);
    // What the oracle's torch.load makes of a big-endian zip: 1.13 reads its bytes as native (so the check
    // swaps what it loads back), 2.x honours the byteorder record.
    const bool torchMisreadsSource = byteswap && !expected(file).value(QLatin1String("torch_reads_byteorder")).toBool();

    const QString sourcePath = fixture(file);
    QVERIFY2(QFileInfo::exists(sourcePath), qPrintable(sourcePath));
    const QByteArray sourceHash = sha256(sourcePath);
    const auto source = openCheckpoint(sourcePath);
    // The selected path as the fixtures name it; a legacy/safetensors root that is the state dict is "".
    const StateDict sd = selectStateDict(*source, selected);
    const auto repaired = identityRepair(sd);

    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("out.pt"));
    ExportOptions options;
    options.stateDictOnly = stateDictOnly;
    qint64 lastDone = -1, lastTotal = -1;
    const ExportReport report = exportCheckpoint(*source, sd, *repaired, nullptr, out, options,
                                                 [&](qint64 done, qint64 total) { lastDone = done; lastTotal = total; });
    QVERIFY(report.replacedGlobals.isEmpty());
    QCOMPARE(report.bytesWritten, QFileInfo(out).size());
    QCOMPARE(report.tensorsWritten, int(sd.entries.size()));
    QCOMPARE(lastDone, lastTotal);
    QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("out.pt")}); // no temp file left behind
    QCOMPARE(sha256(sourcePath), sourceHash);                              // the source is untouched
    // A torch zip's records are copied with their CRC (unless swapped: 1-byte types are not); others are hashed.
    if (source->format() != CheckpointFormat::TorchZip)
        QCOMPARE(report.recordsReused, 0);
    else if (byteswap)
        QVERIFY(report.recordsReused < report.storagesWritten);
    else
        QCOMPARE(report.recordsReused, report.storagesWritten);

    // The container as torch.save writes it (layout), then what torch loads from it.
    const auto r = verify({QStringLiteral("compare"), sourcePath, out, selected, weightsOnly ? QStringLiteral("1") : QStringLiteral("0"),
                           stateDictOnly ? QStringLiteral("1") : QStringLiteral("0"), module,
                           sharing ? QStringLiteral("1") : QStringLiteral("0"), torchMisreadsSource ? QStringLiteral("1") : QStringLiteral("0"),
                           QStringLiteral("0")});
    QVERIFY2(r.exitCode == 0, r.err.constData());

    // What we wrote opens again in StateScope with the same tensors.
    const auto again = openCheckpoint(out);
    const StateDict sd2 = selectStateDict(*again, stateDictOnly ? QString() : selected);
    QCOMPARE(sd2.entries.size(), sd.entries.size());
    for (int i = 0; i < sd.entries.size(); ++i) {
        QCOMPARE(sd2.entries[i].key, sd.entries[i].key);
        QCOMPARE(sd2.entries[i].tensor->shape, sd.entries[i].tensor->shape);
        QCOMPARE(sd2.entries[i].tensor->storage->location, QStringLiteral("cpu"));
    }
}

void TestExport::zipLayout_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("reused"); // every storage is an unchanged zip record: its CRC comes from the source
    QTest::newRow("torch zip, CRCs reused") << "resnet18.pt" << true;
    QTest::newRow("legacy, CRCs computed") << "legacy_resnet18.pt" << false;
}

// ZIP64 fields forced on a small archive (a real 4 GiB one is too slow for a unit test): Python's zipfile (all
// CRCs, alignment, record order: verify_export.py layout), torch.load + load_state_dict(strict=True) and our
// own reader must all take them. The container without ZIP64 is checked on every torchZip row.
void TestExport::zipLayout()
{
    QFETCH(QString, file);
    QFETCH(bool, reused);
    const QString sourcePath = fixture(file);
    const auto source = openCheckpoint(sourcePath);
    const StateDict sd = selectStateDict(*source, QString());
    const auto repaired = identityRepair(sd);
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("out.pt"));
    ExportOptions options;
    options.forceZip64 = true;
    const ExportReport report = exportCheckpoint(*source, sd, *repaired, nullptr, out, options);
    QCOMPARE(report.bytesWritten, QFileInfo(out).size());
    QCOMPARE(report.recordsReused, reused ? report.storagesWritten : 0);
    const auto r = verify({QStringLiteral("compare"), sourcePath, out, QString(), QStringLiteral("1"), QStringLiteral("0"),
                           QStringLiteral("resnet18"), QStringLiteral("1"), QStringLiteral("0"), QStringLiteral("1")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const auto again = openCheckpoint(out);
    QCOMPARE(selectStateDict(*again, QString()).entries.size(), sd.entries.size());
}

// What lets the writer skip reading unchanged records: the source's CRC per record and a descriptor of the very
// file that is mapped. Checked against the data descriptor torch writes after each record's bytes.
void TestExport::sourceFileKnowsRecords()
{
    QTemporaryDir dir;
    const QString copy = dir.filePath(QStringLiteral("src.pt"));
    QVERIFY(QFile::copy(fixture(QStringLiteral("resnet18.pt")), copy));
    const MappedFile mapped(copy);
    const QByteArrayView bytes = mapped.bytes();
    {
        const SourceFile source(mapped);
        QVERIFY(source.fd() >= 0);
        int checked = 0;
        for (const ZipEntry& entry : mapped.zipDirectory().entries()) {
            const QByteArrayView descriptor = bytes.sliced(entry.dataOffset + entry.size, 8);
            QCOMPARE(descriptor.first(4), QByteArrayView("PK\x07\x08", 4));
            quint32 crc = 0;
            for (int i = 3; i >= 0; --i)
                crc = (crc << 8) | quint8(descriptor[4 + i]);
            const std::optional<quint32> known = source.recordCrc(entry.dataOffset, entry.size);
            QVERIFY2(known && *known == crc, qPrintable(entry.name));
            // Only a whole record has that CRC.
            QVERIFY(!source.recordCrc(entry.dataOffset, entry.size + 1));
            ++checked;
        }
        QVERIFY(checked > 60);
    }
    // Replaced by a rename after mapping: the path names other bytes now, so nothing is copied from it.
    const QString other = dir.filePath(QStringLiteral("other.pt"));
    QVERIFY(QFile::copy(fixture(QStringLiteral("resnet18.pt")), other));
    QCOMPARE(std::rename(QFile::encodeName(other).constData(), QFile::encodeName(copy).constData()), 0);
    QCOMPARE(SourceFile(mapped).fd(), -1);
    // Not a zip: a descriptor, no CRCs.
    const MappedFile legacy(fixture(QStringLiteral("legacy_resnet18.pt")));
    const SourceFile legacySource(legacy);
    QVERIFY(legacySource.fd() >= 0);
    QVERIFY(!legacySource.recordCrc(0, legacy.size()));
}

void TestExport::plainExportLoadsNoLibTorch_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("torch zip to torch") << "resnet18.pt" << "torch" << QByteArray("libtorch not loaded");
    QTest::newRow("legacy to torch") << "legacy_resnet18.pt" << "torch" << QByteArray("libtorch not loaded");
    QTest::newRow("safetensors to torch") << "safetensors/resnet18.safetensors" << "torch" << QByteArray("libtorch not loaded");
    // The control: a non-contiguous tensor to safetensors needs LibTorch's copy, and the check sees it.
    QTest::newRow("view to safetensors") << "export_recipe_target.pt" << "safetensors" << QByteArray("libtorch loaded");
}

// A plain rename or strip writes the container itself: LibTorch is not even loaded (its start-up alone took ~0.3 s
// of a 2 GB fix). The driver reports what its own /proc/self/maps holds after exporting.
void TestExport::plainExportLoadsNoLibTorch()
{
    QFETCH(QString, file);
    QFETCH(QString, format);
    QFETCH(QByteArray, expected);
    QTemporaryDir dir;
    QProcess p;
    p.start(QLatin1String(STATESCOPE_EXPORT_DRIVER), {fixture(file), dir.filePath(QStringLiteral("out")), format,
                                                      QStringLiteral("report-libtorch")});
    QVERIFY(p.waitForFinished(120000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    QCOMPARE(p.readAllStandardOutput().trimmed(), expected);
}

void TestExport::safetensors_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("selected");
    QTest::addColumn<QString>("metadataKey"); // a key of the source's __metadata__ that must survive, or ""

    QTest::newRow("resnet18") << "resnet18.pt" << "" << "";
    QTest::newRow("container") << "export_plain.pt" << "state_dict" << "";
    QTest::newRow("views") << "views.pt" << "" << "";
    QTest::newRow("legacy big-endian") << "legacy_bigendian.pt" << "" << "";
    QTest::newRow("from safetensors") << "safetensors/resnet18.safetensors" << "" << "*";
}

void TestExport::safetensors()
{
    QFETCH(QString, file);
    QFETCH(QString, selected);
    QFETCH(QString, metadataKey);
    const auto source = openCheckpoint(fixture(file));
    const StateDict sd = selectStateDict(*source, selected);
    const auto repaired = identityRepair(sd);
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("out.safetensors"));
    ExportOptions options;
    options.format = ExportOptions::Format::SafeTensors;
    const ExportReport report = exportCheckpoint(*source, sd, *repaired, nullptr, out, options);
    QCOMPARE(report.bytesWritten, QFileInfo(out).size());
    QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("out.safetensors")});

    const auto r = verify({QStringLiteral("safetensors"), fixture(file), out, selected});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject meta = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(meta.value(QStringLiteral("format")).toString(), QStringLiteral("pt"));
    if (!metadataKey.isEmpty()) {
        // Every entry of the source's __metadata__ is kept.
        QVERIFY(!source->textMetadata().isEmpty());
        for (auto it = source->textMetadata().cbegin(); it != source->textMetadata().cend(); ++it) {
            if (it.key() != QLatin1String("format"))
                QCOMPARE(meta.value(it.key()).toString(), it.value());
        }
    }
    // And StateScope's own reader accepts it.
    const auto again = openCheckpoint(out);
    QCOMPARE(selectStateDict(*again, QString()).entries.size(), sd.entries.size());
}

void TestExport::hostileGlobalsAreDropped()
{
    const auto source = openCheckpoint(fixture(QStringLiteral("hostile.pt")));
    const StateDict sd = selectStateDict(*source, QStringLiteral("state_dict"));
    const auto repaired = identityRepair(sd);
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("clean.pt"));
    const ExportReport report = exportCheckpoint(*source, sd, *repaired, nullptr, out, ExportOptions());
    QCOMPARE(report.replacedGlobals, QStringList{QStringLiteral("posix.system")});
    const QString marker = dir.filePath(QStringLiteral("PWNED"));
    const auto r = verify({QStringLiteral("hostile"), out, marker});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(!QFileInfo::exists(fixture(QStringLiteral("PWNED"))));
}

void TestExport::pickleRoundTrip_data()
{
    QTest::addColumn<QString>("file");
    // (Protocol 0/1 objects are built by copy_reg._reconstructor, which global_safety counts as dangerous.)
    for (const char* name : {"export_objects_p2.pkl", "export_objects_p4.pkl", "export_inst.pkl",
                             "export_obj.pkl", "export_newobj_ex.pkl"})
        QTest::newRow(name) << QString::fromLatin1(name);
    // Every pickle the unpickler suite accepts, all protocols.
    const QJsonObject index = QJsonDocument::fromJson([] {
                                  QFile f(fixture(QStringLiteral("pickles/index.json")));
                                  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
                              }()).object();
    for (const auto& name : index.value(QStringLiteral("good")).toArray()) {
        const QString file = QStringLiteral("pickles/") + name.toString() + QStringLiteral(".pkl");
        QTest::newRow(qPrintable(file)) << file;
    }
}

void TestExport::pickleRoundTrip()
{
    QFETCH(QString, file);
    QFile f(fixture(file));
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(file));
    const QByteArray data = f.readAll();
    PyArena arena;
    PickleReader reader(arena, data, file);
    const PyObject* root = reader.load();
    PickleWriter writer([](const PyStorage*, DType) { return qint64(0); });
    const QByteArray written = writer.write(root);
    QVERIFY2(writer.replacedGlobals().isEmpty(), qPrintable(writer.replacedGlobals().join(QLatin1Char(' '))));
    QVERIFY(writer.storages().isEmpty());
    QCOMPARE(written.left(2), QByteArray("\x80\x02"));

    QTemporaryDir dir;
    QFile out(dir.filePath(QStringLiteral("re.pkl")));
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(written);
    out.close();
    const auto r = verify({QStringLiteral("pickle"), fixture(file), out.fileName()});
    QVERIFY2(r.exitCode == 0, r.err.constData());
}

void TestExport::hostilePickle_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("os.system") << "pickles/os_system.pkl";
    QTest::newRow("eval") << "pickles/eval.pkl";
}

void TestExport::hostilePickle()
{
    QFETCH(QString, file);
    QFile f(fixture(file));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray data = f.readAll();
    PyArena arena;
    PickleReader reader(arena, data, file);
    const PyObject* root = reader.load();
    PickleWriter writer([](const PyStorage*, DType) { return qint64(0); });
    const QByteArray written = writer.write(root);
    QCOMPARE(writer.replacedGlobals().size(), 1);
    const QString name = writer.replacedGlobals().front();
    QVERIFY2(name.endsWith(QLatin1String(".system")) || name.endsWith(QLatin1String(".eval")), qPrintable(name));
    // The global's name is nowhere in the output: nothing would import it.
    QVERIFY(!written.contains(name.section(QLatin1Char('.'), -1).toUtf8()));
}

void TestExport::recipes()
{
    const auto source = openCheckpoint(fixture(QStringLiteral("export_recipe_source.pt")));
    const auto target = openCheckpoint(fixture(QStringLiteral("export_recipe_target.pt")));
    const StateDict s = selectStateDict(*source, QString());
    const StateDict t = selectStateDict(*target, QString());

    auto repaired = std::make_shared<RepairedStateDict>();
    repaired->view.object = s.object;
    const auto add = [&](const QString& key, TensorRecipe recipe, const QString& sourceKey) {
        if (recipe.dtype == DType::Unknown)
            recipe.dtype = recipe.castTo != DType::Unknown ? recipe.castTo : recipe.tensor->dtype;
        repaired->append({key, sourceKey, recipe});
    };
    TensorRecipe r;
    r.tensor = tensorOf(s, QStringLiteral("pos_embed"));
    r.resize = TensorRecipe::Resize::Interpolate;
    r.resizeTo = {1, 37, 8};
    r.prefixTokens = 1;
    r.shape = r.resizeTo;
    add(QStringLiteral("pos_embed"), r, QStringLiteral("pos_embed"));

    r = TensorRecipe();
    r.tensor = tensorOf(s, QStringLiteral("pos_embed_half"));
    r.resize = TensorRecipe::Resize::Interpolate;
    r.resizeTo = {1, 27, 6};
    r.prefixTokens = 2;
    r.shape = r.resizeTo;
    add(QStringLiteral("pos_embed_half"), r, QStringLiteral("pos_embed_half"));

    r = TensorRecipe();
    r.tensor = tensorOf(s, QStringLiteral("proj.weight"));
    r.transpose = true;
    r.shape = {6, 8};
    add(QStringLiteral("proj.weight"), r, QStringLiteral("proj.weight"));

    r = TensorRecipe();
    r.tensor = tensorOf(s, QStringLiteral("head.weight"));
    r.resize = TensorRecipe::Resize::SlicePad;
    r.resizeTo = {12, 6};
    r.padFrom = tensorOf(t, QStringLiteral("head.weight"));
    r.shape = r.resizeTo;
    add(QStringLiteral("head.weight"), r, QStringLiteral("head.weight"));

    r = TensorRecipe();
    r.tensor = tensorOf(s, QStringLiteral("head.bias"));
    r.resize = TensorRecipe::Resize::SlicePad;
    r.resizeTo = {12};
    r.shape = r.resizeTo;
    add(QStringLiteral("head.bias"), r, QStringLiteral("head.bias"));

    r = TensorRecipe();
    r.tensor = tensorOf(s, QStringLiteral("norm.weight"));
    r.castTo = DType::Float32;
    r.shape = r.tensor->shape;
    add(QStringLiteral("norm.weight"), r, QStringLiteral("norm.weight"));

    r = TensorRecipe();
    r.tensor = tensorOf(s, QStringLiteral("mask"));
    r.shape = r.tensor->shape;
    add(QStringLiteral("mask"), r, QStringLiteral("mask"));

    r = TensorRecipe();
    r.origin = TensorRecipe::Origin::Target;
    r.tensor = tensorOf(t, QStringLiteral("extra"));
    r.shape = r.tensor->shape;
    add(QStringLiteral("extra"), r, QString());

    r = TensorRecipe();
    r.origin = TensorRecipe::Origin::Zero;
    r.dtype = DType::Int64;
    add(QStringLiteral("bn.num_batches_tracked"), r, QString());

    for (const auto& e : repaired->entries)
        QVERIFY2(e.recipe.tensor || e.recipe.origin == TensorRecipe::Origin::Zero, qPrintable(e.key));

    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("repaired.pt"));
    exportCheckpoint(*source, s, *repaired, target.get(), out, ExportOptions());
    // Computed records (CRC of bytes in memory) next to copied ones (mask: reused CRC; extra: from the target).
    const auto res = verify({QStringLiteral("recipes"), fixture(QStringLiteral("export_recipe_source.pt")),
                             fixture(QStringLiteral("export_recipe_target.pt")), out, QStringLiteral("0")});
    QVERIFY2(res.exitCode == 0, res.err.constData());

    // A recipe that needs the target fails cleanly without one, leaving nothing.
    const QString out2 = dir.filePath(QStringLiteral("no_target.pt"));
    QVERIFY_THROWS_EXCEPTION(FormatError, exportCheckpoint(*source, s, *repaired, nullptr, out2, ExportOptions()));
    QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("repaired.pt")});
}

void TestExport::unwritableFolder_data()
{
    QTest::addColumn<QString>("where"); // relative to a temp dir; "/..." absolute
    QTest::newRow("missing folder") << "missing/out.pt";
    QTest::newRow("folder is a file") << "file/out.pt";
    QTest::newRow("read-only filesystem") << "/proc/statescope-out.pt";
    QTest::newRow("read-only folder") << "ro/out.pt";
}

void TestExport::unwritableFolder()
{
    QFETCH(QString, where);
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("file")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("ro")));
    QFile::setPermissions(dir.filePath(QStringLiteral("ro")), QFileDevice::ReadOwner | QFileDevice::ExeOwner);
    if (where.startsWith(QLatin1String("ro/")) && QFileInfo(dir.filePath(QStringLiteral("ro"))).isWritable())
        QSKIP("running as root: permissions do not stop writing");
    const QString out = where.startsWith(QLatin1Char('/')) ? where : dir.filePath(where);

    const auto source = openCheckpoint(fixture(QStringLiteral("export_plain.pt")));
    const StateDict sd = selectStateDict(*source, QStringLiteral("state_dict"));
    const auto repaired = identityRepair(sd);
    for (auto format : {ExportOptions::Format::Torch, ExportOptions::Format::SafeTensors}) {
        ExportOptions options;
        options.format = format;
        try {
            exportCheckpoint(*source, sd, *repaired, nullptr, out, options);
            QFAIL("no error");
        } catch (const FormatError& e) {
            QVERIFY2(e.message().startsWith(out + QLatin1String(": ")), qPrintable(e.message()));
            QVERIFY(!e.message().contains(QLatin1Char('\n')));
        }
        QVERIFY(!QFileInfo::exists(out));
    }
    QFile::setPermissions(dir.filePath(QStringLiteral("ro")), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QCOMPARE(entries(dir.path()), (QStringList{QStringLiteral("file"), QStringLiteral("ro")}));
}

void TestExport::fileSizeLimit_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("limitBlocks"); // ulimit -f, in the shell's blocks
    QTest::newRow("torch, in the tensors") << "torch" << "64";
    QTest::newRow("torch, in the first record") << "torch" << "0";
    // Past the buffered small records, inside the big ones that copy_file_range copies (EFBIG from the kernel).
    QTest::newRow("torch, in a kernel copy") << "torch" << "8192";
    QTest::newRow("safetensors") << "safetensors" << "64";
}

void TestExport::fileSizeLimit()
{
    QFETCH(QString, format);
    QFETCH(QString, limitBlocks);
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("out.pt"));
    QProcess p;
    p.setProgram(QStringLiteral("/bin/sh"));
    p.setArguments({QStringLiteral("-c"), QStringLiteral("ulimit -f ") + limitBlocks + QStringLiteral(" && exec \"$0\" \"$@\""),
                    QLatin1String(STATESCOPE_EXPORT_DRIVER), fixture(QStringLiteral("resnet18.pt")), out, format});
    p.start();
    QVERIFY(p.waitForFinished(120000));
    const QByteArray err = p.readAllStandardError();
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(p.exitCode() == 2, err.constData());
    QVERIFY2(err.startsWith(QByteArray("statescope: " + out.toUtf8() + ": ")), err.constData());
    QVERIFY2(err.contains("File too large"), err.constData());
    QCOMPARE(err.count('\n'), 1);
    QCOMPARE(entries(dir.path()), QStringList());

    // Without the limit the same driver succeeds: the failure above was the limit's doing.
    QProcess ok;
    ok.start(QLatin1String(STATESCOPE_EXPORT_DRIVER), {fixture(QStringLiteral("resnet18.pt")), out, format});
    QVERIFY(ok.waitForFinished(120000));
    QVERIFY2(ok.exitCode() == 0, ok.readAllStandardError().constData());
    QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("out.pt")});
}

void TestExport::refusedTensorLeavesNothing()
{
    // complex128 and quantized tensors have no safetensors dtype: refused before anything is written.
    const auto source = openCheckpoint(fixture(QStringLiteral("dtypes.pt")));
    const StateDict sd = selectStateDict(*source, QString());
    const auto repaired = identityRepair(sd);
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("q.safetensors"));
    ExportOptions options;
    options.format = ExportOptions::Format::SafeTensors;
    try {
        exportCheckpoint(*source, sd, *repaired, nullptr, out, options);
        QFAIL("no error");
    } catch (const FormatError& e) {
        QVERIFY2(e.message().startsWith(fixture(QStringLiteral("dtypes.pt")) + QLatin1String(": ")), qPrintable(e.message()));
        QVERIFY2(e.message().contains(QLatin1String("cannot be stored in safetensors")), qPrintable(e.message()));
    }
    QCOMPARE(entries(dir.path()), QStringList());
}

void TestExport::cancelLeavesNothing()
{
    const auto source = openCheckpoint(fixture(QStringLiteral("resnet18.pt")));
    const StateDict sd = selectStateDict(*source, QString());
    const auto repaired = identityRepair(sd);
    QTemporaryDir dir;
    for (auto format : {ExportOptions::Format::Torch, ExportOptions::Format::SafeTensors}) {
        std::atomic<bool> cancel{false};
        ExportOptions options;
        options.format = format;
        int calls = 0;
        const ExportReport report = exportCheckpoint(*source, sd, *repaired, nullptr, dir.filePath(QStringLiteral("c.pt")), options,
                                                     [&](qint64, qint64) {
                                                         if (++calls == 3)
                                                             cancel = true;
                                                     },
                                                     &cancel);
        QVERIFY(report.cancelled);
        QCOMPARE(calls, 3);
        QCOMPARE(entries(dir.path()), QStringList());
    }
}

void TestExport::refusesToReplaceTheSource()
{
    QTemporaryDir dir;
    const QString copy = dir.filePath(QStringLiteral("src.pt"));
    QVERIFY(QFile::copy(fixture(QStringLiteral("export_plain.pt")), copy));
    const QByteArray hash = sha256(copy);
    const auto source = openCheckpoint(copy);
    const StateDict sd = selectStateDict(*source, QStringLiteral("state_dict"));
    const auto repaired = identityRepair(sd);
    QVERIFY_THROWS_EXCEPTION(FormatError, exportCheckpoint(*source, sd, *repaired, nullptr, copy, ExportOptions()));
    QCOMPARE(sha256(copy), hash);
    QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("src.pt")});
}

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
