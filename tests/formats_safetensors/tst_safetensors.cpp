// safetensors files and sharded checkpoints, compared with what real torch says about the same tensors
// (tests/fixtures/gen_safetensors.py), plus every malformed variant the reference reader rejects.
#include "checkpoint/checkpoint.h"
#include "checkpoint/state_dict.h"
#include "formats/checkpoint_loader.h"
#include "formats/format_error.h"
#include "formats/mapped_file.h"

#include "support/fixtures.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QtEndian>

using namespace statescope;

namespace {

QString fixture(const QString& name)
{
    return test::fixture(QStringLiteral("safetensors/") + name);
}

QJsonObject readExpected(const QString& path)
{
    QFile file(path + QLatin1String(".expected.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QVector<qint64> toVector(const QJsonValue& value)
{
    QVector<qint64> result;
    const QJsonArray array = value.toArray();
    for (const QJsonValue& v : array)
        result.push_back(v.toInteger());
    return result;
}

std::shared_ptr<const Checkpoint> open(const QString& path)
{
    try {
        return openCheckpoint(path);
    } catch (const FormatError& e) {
        qWarning("%s", qPrintable(e.message()));
        return nullptr;
    }
}

} // namespace

class TstSafetensors : public QObject
{
    Q_OBJECT

private slots:
    void goodFile_data();
    void goodFile();
    void textMetadata_data();
    void textMetadata();
    void fileOrderCoversTheBuffer();
    void shardedModuleVersions();
    void brokenFile_data();
    void brokenFile();
};

void TstSafetensors::goodFile_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("resnet18") << QStringLiteral("resnet18.safetensors");
    QTest::newRow("dtypes") << QStringLiteral("dtypes.safetensors");
    QTest::newRow("extra fields") << QStringLiteral("extra_fields.safetensors");
    QTest::newRow("sharded safetensors") << QStringLiteral("sharded_st/model.safetensors.index.json");
    QTest::newRow("sharded torch zip") << QStringLiteral("sharded_pt/pytorch_model.bin.index.json");
}

void TstSafetensors::goodFile()
{
    QFETCH(QString, file);
    const QString path = fixture(file);
    const QJsonObject expected = readExpected(path);
    QVERIFY2(!expected.isEmpty(), qPrintable(path + QLatin1String(".expected.json is missing")));
    const auto checkpoint = open(path);
    QVERIFY(checkpoint);
    QCOMPARE(formatName(checkpoint->format()), expected.value(QLatin1String("format")).toString());

    const QJsonArray shards = expected.value(QLatin1String("shards")).toArray();
    QCOMPARE(checkpoint->fileCount(), 1 + int(shards.size()));
    for (int i = 0; i < shards.size(); ++i)
        QCOMPARE(QFileInfo(checkpoint->file(i + 1).path()).fileName(), shards[i].toString());

    const StateDict sd = selectStateDict(*checkpoint, QString());
    QCOMPARE(sd.path, QString()); // the root itself is the state dict
    const QJsonArray tensors = expected.value(QLatin1String("tensors")).toArray();
    QCOMPARE(sd.entries.size(), tensors.size());
    for (int i = 0; i < tensors.size(); ++i) {
        const QJsonObject want = tensors[i].toObject();
        const StateDictEntry& got = sd.entries[i];
        const PyTensor* t = got.tensor;
        QCOMPARE(got.key, want.value(QLatin1String("key")).toString());
        QCOMPARE(dtypeName(t->dtype), want.value(QLatin1String("dtype")).toString());
        QCOMPARE(t->shape, toVector(want.value(QLatin1String("shape"))));
        QCOMPARE(t->stride, toVector(want.value(QLatin1String("stride"))));
        QCOMPARE(t->storageOffset, want.value(QLatin1String("offset")).toInteger());
        QCOMPARE(t->nbytes(), want.value(QLatin1String("nbytes")).toInteger());
        QVERIFY(t->storage);
        const StorageBytes* where = checkpoint->storageBytes(t->storage);
        QVERIFY(where);
        if (want.contains(QLatin1String("shard")))
            QCOMPARE(QFileInfo(checkpoint->file(where->file).path()).fileName(),
                     want.value(QLatin1String("shard")).toString());
        if (checkpoint->format() == CheckpointFormat::SafeTensors ||
            QFileInfo(checkpoint->file(where->file).path()).suffix() == QLatin1String("safetensors")) {
            QCOMPARE(t->rebuildFunction, QStringLiteral("safetensors"));
            QCOMPARE(t->storage->key, got.key);
            QCOMPARE(t->storage->location, QStringLiteral("cpu"));
            QCOMPARE(t->storage->numel, t->numel());
            QCOMPARE(where->record, got.key);
            QCOMPARE(where->size, t->nbytes());
        }
        // The bytes StateScope points at are the bytes torch holds for the tensor.
        const int elementSize = dtypeElementSize(t->dtype);
        const QByteArrayView bytes =
            checkpoint->bytesOf(t->storage).sliced(t->storageOffset * elementSize, t->nbytes());
        QCOMPARE(QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()),
                 want.value(QLatin1String("sha256")).toString());
    }
}

void TstSafetensors::textMetadata_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("resnet18") << QStringLiteral("resnet18.safetensors");
    QTest::newRow("dtypes") << QStringLiteral("dtypes.safetensors");
    QTest::newRow("sharded safetensors") << QStringLiteral("sharded_st/model.safetensors.index.json");
}

void TstSafetensors::textMetadata()
{
    QFETCH(QString, file);
    const QString path = fixture(file);
    const QJsonObject want = readExpected(path).value(QLatin1String("metadata")).toObject();
    QVERIFY(!want.isEmpty());
    const auto checkpoint = open(path);
    QVERIFY(checkpoint);
    QMap<QString, QString> expected;
    for (auto it = want.constBegin(); it != want.constEnd(); ++it)
        expected.insert(it.key(), it.value().toString());
    QCOMPARE(checkpoint->textMetadata(), expected);
}

// File order is buffer order: each tensor's bytes start where the previous one's end, from the end of the
// header to the end of the file (two empty tensors included).
void TstSafetensors::fileOrderCoversTheBuffer()
{
    const auto checkpoint = open(fixture(QStringLiteral("dtypes.safetensors")));
    QVERIFY(checkpoint);
    const QByteArrayView file = checkpoint->file(0).bytes();
    qint64 next = 8 + qFromLittleEndian<qint64>(file.data());
    const auto* root = checkpoint->root()->as<PyDict>();
    QVERIFY(root);
    QVERIFY(root->className.isEmpty());
    QCOMPARE(checkpoint->storages().size(), root->items.size());
    for (const auto& [key, value] : root->items) {
        const auto* tensor = value->as<PyTensor>();
        QVERIFY(tensor);
        const StorageBytes* where = checkpoint->storageBytes(tensor->storage);
        QVERIFY(where);
        QCOMPARE(where->file, 0);
        QCOMPARE(where->offset, next);
        next += where->size;
    }
    QCOMPARE(next, checkpoint->file(0).size());
}

void TstSafetensors::shardedModuleVersions()
{
    const QString path = fixture(QStringLiteral("sharded_pt/pytorch_model.bin.index.json"));
    const QJsonObject versions = readExpected(path).value(QLatin1String("module_versions")).toObject();
    QVERIFY(versions.size() > 10);
    const auto checkpoint = open(path);
    QVERIFY(checkpoint);
    const StateDict sd = selectStateDict(*checkpoint, QString());
    QVERIFY(sd.metadata);
    QCOMPARE(sd.metadata->items.size(), versions.size());
    for (auto it = versions.constBegin(); it != versions.constEnd(); ++it)
        QCOMPARE(sd.moduleVersion(it.key()), it.value().toInt());
}

void TstSafetensors::brokenFile_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("named"); // the file the message must name
    QTest::addColumn<QString>("reason");
    auto row = [](const char* name, const QString& reason) {
        const QString file = QLatin1String("broken_") + QLatin1String(name) + QLatin1String(".safetensors");
        QTest::newRow(name) << file << file << reason;
    };
    row("header_length_2_60", QStringLiteral("header length 1152921504606846976 exceeds the limit"));
    row("header_length_beyond_file", QStringLiteral("runs past the end of the file"));
    row("truncated_data",
        QStringLiteral("tensor 'c': data_offsets [56, 62) run past the end of the data buffer"));
    row("trailing_bytes", QStringLiteral("8 trailing bytes after the last tensor 'c'"));
    row("overlapping_offsets",
        QStringLiteral("tensor 'c': data_offsets [52, 58) overlap tensor 'a' [32, 56)"));
    row("gap_between_offsets",
        QStringLiteral("tensor 'c': data_offsets [64, 70) leave a gap of 8 bytes after tensor 'a'"));
    row("wrong_byte_size",
        QStringLiteral("tensor 'a': data_offsets [32, 56) span 24 bytes but shape [2, 2] F32 needs 16"));
    row("unknown_dtype", QStringLiteral("tensor 'a': unknown dtype 'F12'"));
    row("unsupported_dtype", QStringLiteral("tensor 'a': dtype F4 is not supported"));
    row("invalid_json", QStringLiteral("header is not valid JSON"));
    row("non_string_metadata", QStringLiteral("__metadata__ value of 'format' is a number, not a string"));
    row("negative_shape", QStringLiteral("tensor 'b': shape entry 0 is not a non-negative 64-bit integer"));
    row("float_shape", QStringLiteral("tensor 'b': shape holds 4.0, not a non-negative integer"));
    row("float_offsets", QStringLiteral("tensor 'b': data_offsets holds 32.0, not a non-negative integer"));
    row("element_count_overflow",
        QStringLiteral("tensor 'b': shape [2147483648, 2147483648, 2147483648] overflows"));
    row("offsets_reversed", QStringLiteral("tensor 'c': data_offsets [62, 56) end before they begin"));
    row("offsets_not_pair", QStringLiteral("tensor 'c': data_offsets is not a pair"));
    row("tensor_not_object", QStringLiteral("tensor 'a': header entry is an array, not an object"));
    row("invalid_utf8", QStringLiteral("header is not valid UTF-8"));
    row("no_tensors_with_data", QStringLiteral("62 trailing bytes after the header (no tensors)"));

    const QString index = QStringLiteral("/model.safetensors.index.json");
    auto indexRow = [&index](const char* name, const QString& reason) {
        const QString file = QLatin1String(name) + index;
        QTest::newRow(name) << file << file << reason;
    };
    indexRow("index_missing_shard", QStringLiteral("names shard 'model-00003-of-00002.safetensors' but"));
    indexRow(
        "index_parent_path",
        QStringLiteral("in shard '../outside.safetensors', which is not a file inside the index's folder"));
    indexRow("index_absolute_path",
             QStringLiteral("outside.safetensors', which is not a file inside the index's folder"));
    indexRow("index_absent_tensor",
             QStringLiteral("weight_map puts tensor 'ghost' in shard "
                            "'model-00001-of-00002.safetensors', which has no such tensor"));
    indexRow("index_wrong_shard",
             QStringLiteral("tensor 'b' is in shard 'model-00001-of-00002.safetensors' but "
                            "weight_map puts it in 'model-00002-of-00002.safetensors'"));
    indexRow("index_unlisted_tensor",
             QStringLiteral(
                 "tensor 'unlisted' is in shard 'model-00001-of-00002.safetensors' but not in weight_map"));
    indexRow("index_nested_index", QStringLiteral("or another shard index, not a file of tensors"));
    indexRow("index_invalid_json", QStringLiteral("shard index is not valid JSON"));
    QTest::newRow("index_broken_shard")
        << QStringLiteral("index_broken_shard") + index
        << QStringLiteral("index_broken_shard/model-00002-of-00002.safetensors")
        << QStringLiteral("3 trailing bytes after the last tensor 'c'");
}

void TstSafetensors::brokenFile()
{
    QFETCH(QString, file);
    QFETCH(QString, named);
    QFETCH(QString, reason);
    const QString path = fixture(file);
    QVERIFY2(QFileInfo::exists(path), qPrintable(path + QLatin1String(" was not generated")));
    try {
        openCheckpoint(path);
        QFAIL("no FormatError");
    } catch (const FormatError& e) {
        const QString message = e.message();
        QVERIFY2(message.contains(fixture(named)), qPrintable(message));
        QVERIFY2(message.contains(reason), qPrintable(message));
        QVERIFY2(!message.contains(QLatin1Char('\n')), qPrintable(message));
    }
}

QTEST_GUILESS_MAIN(TstSafetensors)
#include "tst_safetensors.moc"
