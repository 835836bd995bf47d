#include "checkpoint/checkpoint.h"
#include "checkpoint/state_dict.h"
#include "formats/checkpoint_loader.h"
#include "formats/format_error.h"

#include "support/fixtures.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace statescope;
using statescope::test::fixture;

namespace {

QJsonObject expectedFor(const QString& name)
{
    QFile file(fixture(name) + QLatin1String(".expected.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing %s", qPrintable(file.fileName()));
    return QJsonDocument::fromJson(file.readAll()).object();
}

// Whether LibTorch's shared libraries are mapped into this process.
bool libTorchMapped()
{
    QFile maps(QStringLiteral("/proc/self/maps"));
    if (!maps.open(QIODevice::ReadOnly))
        qFatal("cannot read /proc/self/maps");
    return maps.readAll().contains("/libtorch");
}

QVector<qint64> toShape(const QJsonArray& array)
{
    QVector<qint64> shape;
    for (const QJsonValue& v : array)
        shape.push_back(v.toInteger());
    return shape;
}

} // namespace

class TestTorchScript : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Order matters: the slots before scriptArchive() run while LibTorch must still be absent.
    void initTestCase();
    void plainZipDoesNotLoadLibTorch();
    void scriptArchive_data();
    void scriptArchive();
    void libTorchLoadedForScript();
    void truncatedDataRecord();
    void libTorchRejectsArchive();
};

void TestTorchScript::initTestCase()
{
    QVERIFY2(QFile::exists(fixture(QStringLiteral("ts_custom.pt"))), "run make_fixtures first (ctest does)");
    QVERIFY2(!libTorchMapped(), "the test executable must not link LibTorch");
}

void TestTorchScript::plainZipDoesNotLoadLibTorch()
{
    const auto checkpoint = openCheckpoint(fixture(QStringLiteral("ts_plain.pt")));
    QCOMPARE(checkpoint->format(), CheckpointFormat::TorchZip);
    const StateDict sd = selectStateDict(*checkpoint, QString());
    QCOMPARE(sd.entries.size(), expectedFor(QStringLiteral("ts_plain.pt")).value(QLatin1String("keys")).toArray().size());
    QVERIFY2(!libTorchMapped(), "opening a torch zip file loaded LibTorch");
}

void TestTorchScript::scriptArchive_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("scripted resnet18") << QStringLiteral("ts_resnet18.pt");
    QTest::newRow("scripted custom module") << QStringLiteral("ts_custom.pt");
    QTest::newRow("traced mlp") << QStringLiteral("ts_traced_mlp.pt");
}

void TestTorchScript::scriptArchive()
{
    QFETCH(QString, name);
    const QJsonObject expected = expectedFor(name);
    const QJsonArray keys = expected.value(QLatin1String("keys")).toArray();
    const QJsonArray modules = expected.value(QLatin1String("modules")).toArray();

    std::shared_ptr<const Checkpoint> checkpoint;
    try {
        checkpoint = openCheckpoint(fixture(name));
    } catch (const FormatError& e) {
        QFAIL(qPrintable(e.message()));
    }
    QCOMPARE(checkpoint->format(), CheckpointFormat::TorchScript);

    // What LibTorch says about the module, against what the eager module said in Python.
    const ScriptModuleInfo* info = checkpoint->scriptModule();
    QVERIFY(info);
    QCOMPARE(info->className, expected.value(QLatin1String("class_name")).toString());
    QCOMPARE(info->stateDict.size(), keys.size());
    for (int i = 0; i < keys.size(); ++i) {
        const QJsonObject key = keys[i].toObject();
        QCOMPARE(info->stateDict[i].key, key.value(QLatin1String("key")).toString());
        QCOMPARE(info->stateDict[i].isBuffer, key.value(QLatin1String("buffer")).toBool());
    }
    QCOMPARE(info->modules.size(), modules.size());
    for (int i = 0; i < modules.size(); ++i) {
        const QJsonObject module = modules[i].toObject();
        QCOMPARE(info->modules[i].path, module.value(QLatin1String("path")).toString());
        QCOMPARE(info->modules[i].typeName, module.value(QLatin1String("type")).toString());
    }

    // The root is the state dict, its tensors those of data.pkl with the dtypes and shapes torch reported.
    const auto* root = checkpoint->root()->as<PyDict>();
    QVERIFY(root);
    QCOMPARE(root->className, QStringLiteral("collections.OrderedDict"));
    const StateDict sd = selectStateDict(*checkpoint, QString());
    QCOMPARE(sd.path, QString());
    QCOMPARE(sd.entries.size(), keys.size());
    for (int i = 0; i < keys.size(); ++i) {
        const QJsonObject key = keys[i].toObject();
        const StateDictEntry& entry = sd.entries[i];
        QCOMPARE(entry.key, key.value(QLatin1String("key")).toString());
        QCOMPARE(dtypeName(entry.tensor->dtype), key.value(QLatin1String("dtype")).toString());
        QCOMPARE(entry.tensor->shape, toShape(key.value(QLatin1String("shape")).toArray()));
        QCOMPARE(entry.tensor->stride, toShape(key.value(QLatin1String("stride")).toArray()));
        QCOMPARE(entry.tensor->storageOffset, key.value(QLatin1String("offset")).toInteger());
        QVERIFY(entry.tensor->storage);
        const StorageBytes* bytes = checkpoint->storageBytes(entry.tensor->storage);
        QVERIFY(bytes);
        QVERIFY(bytes->size >= entry.tensor->storageExtent() * dtypeElementSize(entry.tensor->dtype));
    }
}

void TestTorchScript::libTorchLoadedForScript()
{
    // Proves libTorchMapped() can see LibTorch, so plainZipDoesNotLoadLibTorch() is a real check.
    QVERIFY(libTorchMapped());
}

void TestTorchScript::truncatedDataRecord()
{
    const QString path = fixture(QStringLiteral("ts_truncated_data.pt"));
    try {
        openCheckpoint(path);
        QFAIL("a truncated data/ record was accepted");
    } catch (const FormatError& e) {
        QVERIFY2(e.message().startsWith(path + QLatin1Char(':')), qPrintable(e.message()));
        QVERIFY2(e.message().contains(QLatin1String("data/")), qPrintable(e.message()));
        QVERIFY2(!e.message().contains(QLatin1Char('\n')), qPrintable(e.message()));
    }
}

void TestTorchScript::libTorchRejectsArchive()
{
    // data.pkl is fine, the code/ sources are not: LibTorch's exception must come back as one FormatError line.
    const QString path = fixture(QStringLiteral("ts_bad_code.pt"));
    try {
        openCheckpoint(path);
        QFAIL("an archive LibTorch cannot load was accepted");
    } catch (const FormatError& e) {
        QVERIFY2(e.message().startsWith(path + QLatin1Char(':')), qPrintable(e.message()));
        QVERIFY2(e.message().contains(QLatin1String("LibTorch")), qPrintable(e.message()));
        QVERIFY2(!e.message().contains(QLatin1Char('\n')), qPrintable(e.message()));
    }
}

QTEST_GUILESS_MAIN(TestTorchScript)
#include "tst_torchscript.moc"
