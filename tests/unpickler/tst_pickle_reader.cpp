// The safe unpickler against Python's own pickle module: every protocol 0-5 reads back to the same data,
// hostile pickles stay inert, broken ones end in one FormatError (never a crash, hang or huge allocation).

#include "checkpoint/global_safety.h"
#include "checkpoint/object_json.h"
#include "checkpoint/pyobject.h"
#include "formats/format_error.h"
#include "formats/pickle_reader.h"
#include "support/fixtures.h"

#include <QDir>
#include <QJsonArray>
#include <QtTest>

using namespace statescope;
using namespace statescope::test;

namespace {

QByteArray readPickle(const QString& name)
{
    QFile f(fixture(QLatin1String("pickles/") + name + QLatin1String(".pkl")));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing pickle fixture %s", qPrintable(name));
    return f.readAll();
}

QJsonArray indexList(const char* kind)
{
    QFile f(fixture(QStringLiteral("pickles/index.json")));
    f.open(QIODevice::ReadOnly);
    return QJsonDocument::fromJson(f.readAll()).object().value(QLatin1String(kind)).toArray();
}

} // namespace

class TestPickleReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsWhatPythonWrote_data();
    void readsWhatPythonWrote();
    void hostileGlobalsStayInert();
    void brokenPicklesFailCleanly_data();
    void brokenPicklesFailCleanly();
    void nestingBombIsMeasuredWithoutRecursion();
    void billionLaughsStaysBounded();
    void bigIntegersKeepTheirValue();
};

void TestPickleReader::readsWhatPythonWrote_data()
{
    QTest::addColumn<QString>("name");
    const QJsonArray good = indexList("good");
    QVERIFY(good.size() >= 6 * 8);
    for (const auto& v : good)
        QTest::newRow(qPrintable(v.toString())) << v.toString();
}

void TestPickleReader::readsWhatPythonWrote()
{
    QFETCH(QString, name);
    const QByteArray bytes = readPickle(name);
    QFile f(fixture(QLatin1String("pickles/") + name + QLatin1String(".json")));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonValue want = QJsonDocument::fromJson(f.readAll()).object().value(QLatin1String("value"));
    PyArena arena;
    PickleReader reader(arena, bytes, name);
    const PyObject* root = reader.load();
    QCOMPARE(reader.position(), bytes.size());
    const QJsonValue got = objectToJson(root, {});
    if (got != want) {
        QFAIL(qPrintable(QLatin1String("got ") +
                         QString::fromUtf8(QJsonDocument(QJsonArray{got}).toJson(QJsonDocument::Compact)).left(600) +
                         QLatin1String("\nwant ") +
                         QString::fromUtf8(QJsonDocument(QJsonArray{want}).toJson(QJsonDocument::Compact)).left(600)));
    }
}

void TestPickleReader::hostileGlobalsStayInert()
{
    const QString marker = QDir::current().filePath(QStringLiteral("PWNED_PICKLE"));
    QFile::remove(marker);
    {
        PyArena arena;
        const QByteArray bytes = readPickle(QStringLiteral("os_system"));
        PickleReader reader(arena, bytes, QStringLiteral("os_system"));
        const PyObject* root = reader.load();
        const auto* call = root->as<PyOpaque>();
        QVERIFY(call);
        QCOMPARE(call->className(), QStringLiteral("os.system"));
        QCOMPARE(objectSummary(call->args->as<PySequence>()->items.front()), QStringLiteral("'touch PWNED_PICKLE'"));
        QCOMPARE(reader.globals(), QStringList{QStringLiteral("os.system")});
        QCOMPARE(globalSafety(QStringLiteral("os.system")), GlobalSafety::Dangerous);
    }
    {
        PyArena arena;
        const QByteArray bytes = readPickle(QStringLiteral("eval"));
        PickleReader reader(arena, bytes, QStringLiteral("eval"));
        reader.load();
        QCOMPARE(dangerousGlobals(reader.globals()), QStringList{QStringLiteral("__builtin__.eval")});
    }
    QVERIFY(!QFile::exists(marker));
    QCOMPARE(globalSafety(QStringLiteral("collections.OrderedDict")), GlobalSafety::Allowed);
    QCOMPARE(globalSafety(QStringLiteral("torch._utils._rebuild_tensor_v2")), GlobalSafety::Allowed);
    QCOMPARE(globalSafety(QStringLiteral("argparse.Namespace")), GlobalSafety::Unsafe);
    QCOMPARE(globalSafety(QStringLiteral("subprocess.Popen")), GlobalSafety::Dangerous);
    QCOMPARE(globalSafety(QStringLiteral("builtins.exec")), GlobalSafety::Dangerous);
}

void TestPickleReader::brokenPicklesFailCleanly_data()
{
    QTest::addColumn<QString>("name");
    for (const auto& v : indexList("broken"))
        QTest::newRow(qPrintable(v.toString())) << v.toString();
}

void TestPickleReader::brokenPicklesFailCleanly()
{
    QFETCH(QString, name);
    PyArena arena;
    const QByteArray bytes = readPickle(name);
    PickleReader reader(arena, bytes, QLatin1String("case ") + name);
    try {
        reader.load();
        QFAIL("no error");
    } catch (const FormatError& e) {
        // One line that names the record and the offset.
        QVERIFY2(e.message().startsWith(QLatin1String("case ") + name + QLatin1String(": ")), qPrintable(e.message()));
        QVERIFY2(e.message().contains(QLatin1String(" at offset ")), qPrintable(e.message()));
        QVERIFY(!e.message().contains(QLatin1Char('\n')));
    }
    // Nothing was allocated in proportion to the lengths the broken pickle claims.
    QVERIFY(arena.size() < 200000);
}

void TestPickleReader::nestingBombIsMeasuredWithoutRecursion()
{
    PyArena arena;
    const QByteArray bytes = readPickle(QStringLiteral("nesting_bomb"));
    PickleReader reader(arena, bytes, QStringLiteral("bomb"));
    const PyObject* root = reader.load();
    QCOMPARE(nestingDepth(root), 200000);
    const QJsonValue json = objectToJson(root, {});
    QVERIFY(QJsonDocument(QJsonArray{json}).toJson().contains("__truncated__"));
}

void TestPickleReader::billionLaughsStaysBounded()
{
    PyArena arena;
    const QByteArray bytes = readPickle(QStringLiteral("billion_laughs"));
    PickleReader reader(arena, bytes, QStringLiteral("laughs"));
    const PyObject* root = reader.load();
    QCOMPARE(nestingDepth(root), 65);
    const QByteArray json = QJsonDocument(QJsonArray{objectToJson(root, {})}).toJson(QJsonDocument::Compact);
    QVERIFY(json.contains("__truncated__"));
    QVERIFY(json.size() < 64 * 1024 * 1024);
}

void TestPickleReader::bigIntegersKeepTheirValue()
{
    PyArena arena;
    // LONG1 with 9 bytes: 2^64 and -(2^64)-1 as Python writes them.
    const QByteArray big("\x80\x02\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01.", 14);
    PickleReader reader(arena, big, QStringLiteral("big"));
    QCOMPARE(reader.load()->as<PyInt>()->toString(), QStringLiteral("18446744073709551616"));
    const QByteArray negative("\x80\x02\x8a\x09\xff\xff\xff\xff\xff\xff\xff\xff\xfe.", 14);
    PickleReader reader2(arena, negative, QStringLiteral("negative"));
    QCOMPARE(reader2.load()->as<PyInt>()->toString(), QStringLiteral("-18446744073709551617"));
    const QByteArray text("L-123456789012345678901234567890L\n.", 35);
    PickleReader reader3(arena, text, QStringLiteral("text"));
    QCOMPARE(reader3.load()->as<PyInt>()->toString(), QStringLiteral("-123456789012345678901234567890"));
}

QTEST_GUILESS_MAIN(TestPickleReader)
#include "tst_pickle_reader.moc"
