// torch.save zip archives: every key, dtype, shape, stride, offset, byte size, storage sharing and location
// StateScope reports must equal what real torch reports for the same file (recorded by gen_torch_zip.py).

#include "checkpoint/checkpoint.h"
#include "checkpoint/global_safety.h"
#include "checkpoint/inspect_report.h"
#include "checkpoint/state_dict.h"
#include "formats/checkpoint_loader.h"
#include "formats/format_error.h"
#include "support/fixtures.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QtTest>

using namespace statescope;
using namespace statescope::test;

class TestTorchZip : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matchesTorch_data();
    void matchesTorch();
    void containerObjects_data();
    void containerObjects();
    void hostilePickleIsReportedNotRun();
    void rankingPrefersConventionalNames();
    void explicitStateDictPath();
};

void TestTorchZip::matchesTorch_data()
{
    QTest::addColumn<QString>("file");
    for (const char* f : {"resnet18.pt", "dataparallel.pt", "lightning.ckpt", "model_ema.pt", "dtypes.pt", "views.pt",
                          "cuda_tagged.pt", "protocol4.pt", "sparse.pt", "hostile.pt"})
        QTest::newRow(f) << QString::fromLatin1(f);
}

void TestTorchZip::matchesTorch()
{
    QFETCH(QString, file);
    const QJsonObject want = expected(file);
    QVERIFY2(!want.isEmpty(), "fixture expectations missing");
    const auto checkpoint = openCheckpoint(fixture(file));
    QCOMPARE(checkpoint->format(), CheckpointFormat::TorchZip);
    const StateDict sd = selectStateDict(*checkpoint, QString());
    QCOMPARE(sd.path, want.value(QLatin1String("selected")).toString());

    const QJsonArray tensors = want.value(QLatin1String("tensors")).toArray();
    QCOMPARE(sd.entries.size(), tensors.size());
    for (int i = 0; i < tensors.size(); ++i) {
        const QJsonObject t = tensors[i].toObject();
        const QJsonObject got = tensorRecordJson(*checkpoint, sd.entries[i]);
        const QString key = t.value(QLatin1String("key")).toString();
        QCOMPARE(got.value(QLatin1String("key")).toString(), key);
        for (const char* field : {"dtype", "shape", "stride", "offset", "nbytes", "layout"}) {
            const QString f = QLatin1String(field);
            if (!t.contains(f))
                continue;
            if (got.value(f) != t.value(f))
                QFAIL(qPrintable(key + QLatin1String(": ") + f + QLatin1String(" differs: ") +
                                 QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("got"), got.value(f)},
                                                                             {QStringLiteral("torch"), t.value(f)}})
                                                       .toJson(QJsonDocument::Compact))));
        }
        if (!t.contains(QLatin1String("layout")))
            QCOMPARE(got.value(QLatin1String("location")).toString(), want.value(QLatin1String("location")).toString());
    }

    // Keys torch says share a storage carry one storage key; other tensors never share it.
    QHash<QString, QString> storageOf;
    for (const auto& e : sd.entries)
        storageOf.insert(e.key, tensorRecordJson(*checkpoint, e).value(QLatin1String("storage")).toString());
    QSet<QString> sharedStorages;
    for (const auto& group : want.value(QLatin1String("shared")).toArray()) {
        const QJsonArray keys = group.toArray();
        const QString first = storageOf.value(keys[0].toString());
        for (const auto& k : keys)
            QCOMPARE(storageOf.value(k.toString()), first);
        sharedStorages.insert(first);
    }
    QHash<QString, int> uses;
    for (const auto& s : storageOf)
        uses[s] += 1;
    for (auto it = uses.cbegin(); it != uses.cend(); ++it) {
        if (it.value() > 1 && !it.key().isEmpty())
            QVERIFY2(sharedStorages.contains(it.key()), qPrintable(QLatin1String("storage shared unlike torch: ") + it.key()));
    }

    // _metadata module versions as torch sees them.
    const QJsonValue meta = want.value(QLatin1String("metadata"));
    if (meta.isObject()) {
        QVERIFY(sd.metadata);
        const QJsonObject m = meta.toObject();
        for (auto it = m.begin(); it != m.end(); ++it) {
            const int version = it.value().toObject().value(QLatin1String("version")).toInt(-1);
            QCOMPARE(sd.moduleVersion(it.key()), version);
        }
    }
}

void TestTorchZip::containerObjects_data()
{
    QTest::addColumn<QString>("file");
    for (const char* f : {"lightning.ckpt", "model_ema.pt", "hostile.pt"})
        QTest::newRow(f) << QString::fromLatin1(f);
}

// Values of the non-tensor content (epoch, hyper-parameters, bytes, big ints) as torch.load returned them.
void TestTorchZip::containerObjects()
{
    QFETCH(QString, file);
    const QJsonObject want = expected(file).value(QLatin1String("objects")).toObject();
    QVERIFY(!want.isEmpty());
    const auto checkpoint = openCheckpoint(fixture(file));
    const auto candidates = findStateDicts(*checkpoint);
    const QJsonObject report = QJsonDocument::fromJson(inspectJson(*checkpoint, candidates, candidates.front())).object();
    for (auto it = want.begin(); it != want.end(); ++it) {
        QJsonValue v = report.value(QLatin1String("objects"));
        for (const QString& part : it.key().split(QLatin1Char('/')))
            v = v.toObject().value(part);
        if (v != it.value())
            QFAIL(qPrintable(it.key() + QLatin1String(" = ") +
                             QString::fromUtf8(QJsonDocument(QJsonArray{v, it.value()}).toJson(QJsonDocument::Compact))));
    }
}

void TestTorchZip::hostilePickleIsReportedNotRun()
{
    const QString marker = fixture(QStringLiteral("PWNED"));
    QFile::remove(marker);
    const auto checkpoint = openCheckpoint(fixture(QStringLiteral("hostile.pt")));
    QVERIFY(checkpoint->globals().contains(QLatin1String("posix.system")));
    QCOMPARE(dangerousGlobals(checkpoint->globals()), QStringList{QStringLiteral("posix.system")});
    QVERIFY(!QFileInfo::exists(marker));
    // A plain state dict names only allowed globals.
    const auto plain = openCheckpoint(fixture(QStringLiteral("resnet18.pt")));
    QVERIFY(unsafeGlobals(plain->globals()).isEmpty());
}

void TestTorchZip::rankingPrefersConventionalNames()
{
    const auto checkpoint = openCheckpoint(fixture(QStringLiteral("model_ema.pt")));
    const auto candidates = findStateDicts(*checkpoint);
    QStringList paths;
    for (const auto& c : candidates)
        paths << c.path;
    QCOMPARE(paths, (QStringList{QStringLiteral("model"), QStringLiteral("model_ema")}));
    // Optimizer state (integer keys) is never offered as a model state dict.
    const auto lightning = openCheckpoint(fixture(QStringLiteral("lightning.ckpt")));
    const auto lc = findStateDicts(*lightning);
    QCOMPARE(lc.size(), 1);
    QCOMPARE(lc.front().path, QStringLiteral("state_dict"));
}

void TestTorchZip::explicitStateDictPath()
{
    const auto checkpoint = openCheckpoint(fixture(QStringLiteral("model_ema.pt")));
    QCOMPARE(selectStateDict(*checkpoint, QStringLiteral("model_ema")).path, QStringLiteral("model_ema"));
    try {
        selectStateDict(*checkpoint, QStringLiteral("optimizer"));
        QFAIL("no error for a path that is not a state dict");
    } catch (const FormatError& e) {
        QVERIFY(e.message().contains(QLatin1String("model_ema")));
    }
    try {
        selectStateDict(*checkpoint, QStringLiteral(""));
        QFAIL("the root of a container is not a state dict");
    } catch (const FormatError& e) {
        QVERIFY(e.message().contains(QLatin1String("no state dict at ''")));
    }
}

QTEST_GUILESS_MAIN(TestTorchZip)
#include "tst_torch_zip.moc"
