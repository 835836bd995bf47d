// Legacy torch.save files (stream and tar) read without torch, compared with what real torch 1.13 reported
// about the same files (tests/fixtures/gen_legacy.py writes both).
#include "checkpoint/checkpoint.h"
#include "formats/checkpoint_loader.h"
#include "formats/format_error.h"

#include "support/fixtures.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace statescope;
using statescope::test::fixture;

namespace {

QJsonDocument readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll());
}

struct Found
{
    QString key;
    const PyTensor* tensor;
};

// The same walk as gen_legacy.flatten(): dict keys and list/tuple indices joined by '/', depth first.
void flatten(const PyObject* object, const QString& prefix, QVector<Found>* out)
{
    const auto join = [&prefix](const QString& k) {
        return prefix.isEmpty() ? k : prefix + QLatin1Char('/') + k;
    };
    if (const auto* t = object->as<PyTensor>()) {
        out->push_back({prefix, t});
    } else if (const auto* d = object->as<PyDict>()) {
        for (const auto& [k, v] : d->items) {
            if (const auto* s = k->as<PyString>())
                flatten(v, join(s->value), out);
            else if (const auto* i = k->as<PyInt>())
                flatten(v, join(i->toString()), out);
        }
    } else if (object->is(PyKind::List) || object->is(PyKind::Tuple)) {
        const auto* seq = object->as<PySequence>();
        for (int i = 0; i < seq->items.size(); ++i)
            flatten(seq->items[i], join(QString::number(i)), out);
    }
}

QJsonArray ints(const QVector<qint64>& values)
{
    QJsonArray a;
    for (qint64 v : values)
        a.append(v);
    return a;
}

QString openError(const QString& path)
{
    try {
        openCheckpoint(path);
    } catch (const FormatError& e) {
        return e.message();
    }
    return {};
}

// Writes `bytes` to a new file in `dir` and opens it; returns the FormatError text ("" when it opened). A
// fresh name each time: rewriting one file in place makes ext4 flush it to disk on every close.
QString openBytes(const QTemporaryDir& dir, const QByteArray& bytes, QString* path)
{
    static int serial = 0;
    *path = dir.filePath(QString::number(++serial) + QLatin1String(".bin"));
    QFile out(*path);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(*path));
    out.close();
    const QString error = openError(*path);
    QFile::remove(*path);
    return error;
}

} // namespace

class TestLegacy : public QObject
{
    Q_OBJECT

private slots:
    void readsLikeTorch_data();
    void readsLikeTorch();
    void sniffsBothLayouts();
    void rejectsBroken_data();
    void rejectsBroken();
    void everyPrefixOfAStreamIsRejected();
    void mutatedFilesNeverCrash_data();
    void mutatedFilesNeverCrash();
};

void TestLegacy::readsLikeTorch_data()
{
    QTest::addColumn<QString>("name");
    const QStringList files =
        QDir(test::fixtureDir())
            .entryList({QStringLiteral("legacy_*.expected.json")}, QDir::Files, QDir::Name);
    // resnet18, container, tied, dtypes, cuda, storage view, big-endian, two tars.
    QVERIFY2(files.size() >= 9, "gen_legacy.py fixtures missing");
    for (const QString& f : files) {
        const QString name = f.chopped(int(qstrlen(".expected.json")));
        QTest::newRow(qPrintable(name)) << name;
    }
}

void TestLegacy::readsLikeTorch()
{
    QFETCH(QString, name);
    const QJsonObject expected = readJson(fixture(name + QLatin1String(".expected.json"))).object();
    QVERIFY(!expected.isEmpty());
    std::shared_ptr<const Checkpoint> checkpoint;
    try {
        checkpoint = openCheckpoint(fixture(name));
    } catch (const FormatError& e) {
        QFAIL(qPrintable(e.message()));
    }

    QCOMPARE(formatName(checkpoint->format()), expected[QLatin1String("format")].toString());
    const bool tar = expected[QLatin1String("layout")].toString() == QLatin1String("tar");
    QCOMPARE(checkpoint->format(), tar ? CheckpointFormat::TorchLegacyTar : CheckpointFormat::TorchLegacy);
    QCOMPARE(checkpoint->byteOrder(), expected[QLatin1String("byte_order")].toString());

    QStringList globals = checkpoint->globals();
    globals.sort();
    QStringList expectedGlobals;
    for (const auto& g : expected[QLatin1String("globals")].toArray())
        expectedGlobals.push_back(g.toString());
    QCOMPARE(globals, expectedGlobals);

    QVector<Found> found;
    flatten(checkpoint->root(), QString(), &found);
    const QJsonArray tensors = expected[QLatin1String("tensors")].toArray();
    QCOMPARE(found.size(), tensors.size());

    QHash<const PyStorage*, int> groups;
    for (int i = 0; i < found.size(); ++i) {
        const QJsonObject want = tensors[i].toObject();
        const PyTensor& t = *found[i].tensor;
        const QString key = want[QLatin1String("key")].toString();
        QCOMPARE(found[i].key, key);
        QCOMPARE(dtypeName(t.dtype), want[QLatin1String("dtype")].toString());
        QCOMPARE(ints(t.shape), want[QLatin1String("shape")].toArray());
        QCOMPARE(ints(t.stride), want[QLatin1String("stride")].toArray());
        QCOMPARE(t.storageOffset, want[QLatin1String("offset")].toInteger());
        QVERIFY2(t.storage, qPrintable(key));
        QCOMPARE(t.storage->location, want[QLatin1String("location")].toString());

        // torch's storage identity, numbered in order of first appearance on both sides.
        const int group = groups.value(t.storage, int(groups.size()));
        groups.insert(t.storage, group);
        QCOMPARE(group, want[QLatin1String("storage_group")].toInt());

        const qint64 numel = t.storage->viewSize >= 0 ? t.storage->viewSize : t.storage->numel;
        QCOMPARE(numel, want[QLatin1String("storage_numel")].toInteger());
        QVERIFY2(checkpoint->storageBytes(t.storage),
                 qPrintable(key + QLatin1String(" has no registered bytes")));
        const QByteArrayView bytes = checkpoint->bytesOf(t.storage);
        QCOMPARE(qint64(bytes.size()), want[QLatin1String("storage_nbytes")].toInteger());
        const QByteArray sha = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
        QCOMPARE(QString::fromLatin1(sha), want[QLatin1String("sha256")].toString());
    }
    // Every registered storage is one torch knows about (no stray registrations beyond the tensors' own).
    QVERIFY(checkpoint->storages().size() >= groups.size());
}

void TestLegacy::sniffsBothLayouts()
{
    // The resnet18 state dict keeps its OrderedDict _metadata (BatchNorm version 2) through the legacy
    // stream.
    const auto checkpoint = openCheckpoint(fixture(QStringLiteral("legacy_resnet18.pt")));
    const auto* root = checkpoint->root()->as<PyDict>();
    QVERIFY(root);
    QCOMPARE(root->className, QStringLiteral("collections.OrderedDict"));
    QVERIFY(root->state);
    // One PyStorage per key: 122 tensors, each with its own storage, all registered in first-use order.
    QCOMPARE(checkpoint->storages().size(), root->items.size());
    for (const PyStorage* s : checkpoint->storages())
        QCOMPARE(checkpoint->storageBytes(s)->record, QLatin1String("storage ") + s->key);

    const auto tar = openCheckpoint(fixture(QStringLiteral("legacy_tar_model.tar")));
    QCOMPARE(tar->format(), CheckpointFormat::TorchLegacyTar);
    const auto* model = tar->root()->as<PyDict>();
    QVERIFY(model);
    const auto* tensor = model->value(QStringLiteral("tied_slice"))->as<PyTensor>();
    QVERIFY(tensor);
    QCOMPARE(tensor->rebuildFunction, QStringLiteral("torch._utils._rebuild_tensor"));
}

void TestLegacy::rejectsBroken_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("phrase");
    const QJsonObject broken = readJson(fixture(QStringLiteral("legacy_broken.json"))).object();
    QVERIFY2(broken.size() >= 15, "legacy_broken.json missing or short");
    for (auto it = broken.begin(); it != broken.end(); ++it)
        QTest::newRow(qPrintable(it.key())) << it.key() << it.value().toString();
}

void TestLegacy::rejectsBroken()
{
    QFETCH(QString, name);
    QFETCH(QString, phrase);
    const QString path = fixture(name);
    QVERIFY(QFile::exists(path));
    const QString error = openError(path);
    QVERIFY2(!error.isEmpty(), qPrintable(name + QLatin1String(" was accepted")));
    QVERIFY2(error.startsWith(path + QLatin1String(": ")), qPrintable(error));
    QVERIFY2(error.contains(phrase), qPrintable(error));
    QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
}

void TestLegacy::everyPrefixOfAStreamIsRejected()
{
    // Storage bytes end the stream, so any cut loses something the file promised.
    QFile f(fixture(QStringLiteral("legacy_tied.pt")));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray whole = f.readAll();
    QTemporaryDir dir;
    QString path;
    for (qsizetype n = 1; n < whole.size(); ++n) {
        const QString error = openBytes(dir, whole.first(n), &path);
        QVERIFY2(!error.isEmpty(), qPrintable(QStringLiteral("prefix of %1 bytes accepted").arg(n)));
        QVERIFY2(error.startsWith(path), qPrintable(error));
    }
}

void TestLegacy::mutatedFilesNeverCrash_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("stream") << QStringLiteral("legacy_tied.pt");
    QTest::newRow("storage view stream") << QStringLiteral("legacy_storage_view.pt");
    QTest::newRow("tar") << QStringLiteral("legacy_tar_model.tar");
}

void TestLegacy::mutatedFilesNeverCrash()
{
    // Every single-byte corruption and every cut either opens or ends in a FormatError naming the file.
    QFETCH(QString, name);
    QFile f(fixture(name));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray whole = f.readAll();
    QTemporaryDir dir;
    QString path;
    // A tar ends in kilobytes of zero padding; past the end-of-archive blocks, corruption means nothing.
    qsizetype end = whole.size();
    while (end > 0 && whole[end - 1] == 0)
        --end;
    end = std::min(whole.size(), end + 1024);
    int rejected = 0;
    for (qsizetype i = 0; i < end; ++i) {
        for (bool cut : {false, true}) {
            QByteArray mutated = cut ? whole.first(i) : whole;
            if (!cut)
                mutated[i] = static_cast<char>(mutated[i] ^ 0x5a);
            const QString error = openBytes(dir, mutated, &path);
            if (!error.isEmpty()) {
                ++rejected;
                QVERIFY2(error.startsWith(path), qPrintable(error));
            }
        }
    }
    QVERIFY(rejected > 0);
}

QTEST_GUILESS_MAIN(TestLegacy)
#include "tst_legacy.moc"
