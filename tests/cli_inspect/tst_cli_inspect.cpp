// `statescope inspect` as scripts use it: the JSON contract of CLI.md checked against real torch, exit
// statuses, and one clear line for every broken or hostile file, within bounded memory.

#include "support/fixtures.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QtTest>

using namespace statescope::test;

class TestCliInspect : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonMatchesTorch_data();
    void jsonMatchesTorch();
    void selectsStateDictByPath();
    void textShowsModuleTreeAndWarnings();
    void badInputGivesOneLine_data();
    void badInputGivesOneLine();
    void badArguments();
};

void TestCliInspect::jsonMatchesTorch_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("format");
    QTest::newRow("zip") << QStringLiteral("resnet18.pt") << QStringLiteral("torch-zip");
    QTest::newRow("lightning") << QStringLiteral("lightning.ckpt") << QStringLiteral("torch-zip");
    QTest::newRow("legacy") << QStringLiteral("legacy_resnet18.pt") << QStringLiteral("torch-legacy");
    QTest::newRow("cuda") << QStringLiteral("cuda_tagged.pt") << QStringLiteral("torch-zip");
}

// Keys, order, dtypes and shapes of the JSON equal what torch.load returned for the same file.
void TestCliInspect::jsonMatchesTorch()
{
    QFETCH(QString, file);
    QFETCH(QString, format);
    const ProcessResult r = runStatescope({QStringLiteral("inspect"), fixture(file), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.err.isEmpty());
    QJsonParseError error;
    const QJsonObject json = QJsonDocument::fromJson(r.out, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(json.value(QLatin1String("format")).toString(), format);
    QCOMPARE(json.value(QLatin1String("file")).toString(), fixture(file));
    for (const char* field : {"state_dicts", "selected", "tensors", "metadata", "globals", "unsafe_globals", "objects"})
        QVERIFY2(json.contains(QLatin1String(field)), field);

    const QJsonObject want = expected(file);
    QCOMPARE(json.value(QLatin1String("selected")).toString(), want.value(QLatin1String("selected")).toString());
    const QJsonArray got = json.value(QLatin1String("tensors")).toArray();
    const QJsonArray torch = want.value(QLatin1String("tensors")).toArray();
    QCOMPARE(got.size(), torch.size());
    for (int i = 0; i < got.size(); ++i) {
        const QJsonObject g = got[i].toObject();
        const QJsonObject t = torch[i].toObject();
        QCOMPARE(g.value(QLatin1String("key")).toString(), t.value(QLatin1String("key")).toString());
        for (const char* field : {"dtype", "shape", "stride", "offset", "nbytes"}) {
            if (t.contains(QLatin1String(field)))
                QCOMPARE(g.value(QLatin1String(field)), t.value(QLatin1String(field)));
        }
        if (want.contains(QLatin1String("location")))
            QCOMPARE(g.value(QLatin1String("location")).toString(), want.value(QLatin1String("location")).toString());
    }
    // The JSON's unsafe globals are exactly the ones torch.load(weights_only=True) refuses.
    const ProcessResult py = runPython(QStringLiteral(
        "import sys, torch\n"
        "try:\n"
        "    torch.load(sys.argv[1], map_location='cpu', weights_only=True); print('ok')\n"
        "except Exception as e:\n"
        "    print('refused')\n"), {fixture(file)});
    QCOMPARE(py.exitCode, 0);
    const bool refused = py.out.trimmed() == "refused";
    QCOMPARE(!json.value(QLatin1String("unsafe_globals")).toArray().isEmpty(), refused);
}

void TestCliInspect::selectsStateDictByPath()
{
    const ProcessResult r = runStatescope({QStringLiteral("inspect"), fixture(QStringLiteral("model_ema.pt")), QStringLiteral("--json"),
                                           QStringLiteral("--state-dict"), QStringLiteral("model_ema")});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject json = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(json.value(QLatin1String("selected")).toString(), QStringLiteral("model_ema"));
    QCOMPARE(json.value(QLatin1String("state_dicts")).toArray().size(), 2);

    const ProcessResult missing = runStatescope({QStringLiteral("inspect"), fixture(QStringLiteral("model_ema.pt")),
                                                 QStringLiteral("--state-dict"), QStringLiteral("nope")});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY(missing.err.startsWith("statescope: "));
    QVERIFY(missing.err.contains("model_ema"));
}

void TestCliInspect::textShowsModuleTreeAndWarnings()
{
    const ProcessResult r = runStatescope({QStringLiteral("inspect"), fixture(QStringLiteral("resnet18.pt"))});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("torch-zip"));
    // Elements of every tensor, buffers included, as sum(v.numel() for v in sd.values()) gives in torch.
    const ProcessResult py = runPython(QStringLiteral("import sys, torch\n"
                                                      "print('{:,}'.format(sum(v.numel() for v in torch.load(sys.argv[1]).values())))"),
                                       {fixture(QStringLiteral("resnet18.pt"))});
    QCOMPARE(py.exitCode, 0);
    QVERIFY(r.out.contains(QByteArray(py.out.trimmed() + " parameters")));
    QVERIFY(r.out.contains("layer1"));
    QVERIFY(r.out.contains("conv1.weight") || r.out.contains("weight  float32 [64, 3, 7, 7]"));

    const QString marker = fixture(QStringLiteral("PWNED"));
    QFile::remove(marker);
    const ProcessResult hostile = runStatescope({QStringLiteral("inspect"), fixture(QStringLiteral("hostile.pt"))});
    QCOMPARE(hostile.exitCode, 0);
    QVERIFY(hostile.out.contains("DANGER"));
    QVERIFY(hostile.out.contains("posix.system"));
    QVERIFY(!QFileInfo::exists(marker));
}

void TestCliInspect::badInputGivesOneLine_data()
{
    QTest::addColumn<QString>("file");
    QFile index(fixture(QStringLiteral("bad/index.json")));
    QVERIFY(index.open(QIODevice::ReadOnly));
    const QJsonObject cases = QJsonDocument::fromJson(index.readAll()).object();
    QVERIFY(cases.size() >= 15);
    for (auto it = cases.begin(); it != cases.end(); ++it)
        QTest::newRow(qPrintable(it.value().toString())) << it.key();
    QTest::newRow("missing file") << QStringLiteral("does-not-exist.pt");
    QTest::newRow("directory") << QStringLiteral(".");
}

// Exit 2, exactly one stderr line naming the file, nothing on stdout, and peak memory bounded by the file's
// size plus a constant (measured by real getrusage of the child, through Python).
void TestCliInspect::badInputGivesOneLine()
{
    QFETCH(QString, file);
    const QString path = fixture(QLatin1String("bad/") + file);
    const ProcessResult r = runStatescope({QStringLiteral("inspect"), path});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.startsWith("statescope: "), r.err.constData());
    QVERIFY2(r.err.endsWith('\n') && r.err.count('\n') == 1, r.err.constData());
    QVERIFY2(r.err.contains(QFileInfo(path).fileName().toUtf8()) || file == QLatin1String("."), r.err.constData());

    const ProcessResult rss = runPython(QStringLiteral(
        "import resource, subprocess, sys\n"
        "subprocess.run([sys.argv[1], 'inspect', sys.argv[2]], capture_output=True, timeout=60)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"),
        {QLatin1String(STATESCOPE_BIN_DIR "/statescope"), path});
    QCOMPARE(rss.exitCode, 0);
    const qint64 peakKiB = rss.out.trimmed().toLongLong();
    const qint64 fileKiB = QFileInfo(path).size() / 1024;
    // ~20 MB is the Qt process itself; the nesting bomb's 200k lists cost ~40 MB before the depth check.
    QVERIFY2(peakKiB < 96 * 1024 + 4 * fileKiB, qPrintable(QString::number(peakKiB) + QLatin1String(" KiB peak")));
}

void TestCliInspect::badArguments()
{
    QCOMPARE(runStatescope({QStringLiteral("inspect")}).exitCode, 2);
    QCOMPARE(runStatescope({QStringLiteral("inspect"), QStringLiteral("a"), QStringLiteral("b")}).exitCode, 2);
    QCOMPARE(runStatescope({QStringLiteral("inspect"), QStringLiteral("--bogus")}).exitCode, 2);
    const ProcessResult help = runStatescope({QStringLiteral("inspect"), QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("--state-dict"));
    const ProcessResult top = runStatescope({QStringLiteral("--help")});
    QCOMPARE(top.exitCode, 0);
    QVERIFY(top.out.contains("inspect FILE"));
}

QTEST_GUILESS_MAIN(TestCliInspect)
#include "tst_cli_inspect.moc"
