#include "checkpoint/checkpoint.h"
#include "checkpoint/state_dict.h"
#include "diff/value_diff.h"
#include "formats/checkpoint_loader.h"
#include "support/fixtures.h"
#include "tensor/tensor_engine_loader.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QTest>

#include <atomic>
#include <cmath>
#include <map>
#include <mutex>

using namespace statescope;
using statescope::test::expected;
using statescope::test::fixture;

namespace {

struct Config
{
    const char* name;
    int threads;
    qint64 chunkBytes;
    qint64 sliceBytes;
};

// Default settings; one thread without slices; many threads, minimal chunks and 1 MB slices (so the big
// tensors are merged from dozens of partial sums).
const Config kConfigs[] = {
    {"default", 0, ValueOptions().chunkBytes, ValueDiffOptions().sliceBytes},
    {"serial", 1, ValueOptions().chunkBytes, 0},
    {"sliced", 3, 1, qint64(1) << 20},
};

struct Fixture
{
    std::shared_ptr<const Checkpoint> source, target;
    StateDict sourceDict, targetDict;
    QJsonObject expected;
};

// values_a.pt against values_b.pt (every dtype, views, big tensors), or the byte-swapped values_be.pt (with a
// `byteorder` record saying "big") against the little-endian values_le.pt.
const Fixture& pairFixture(const QString& sourceName = QStringLiteral("values_a.pt"))
{
    static std::mutex mutex;
    static std::map<QString, Fixture> cache;
    const std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(sourceName);
    if (it == cache.end()) {
        const QString targetName = sourceName == QLatin1String("values_be.pt") ? QStringLiteral("values_le.pt")
                                                                                : QStringLiteral("values_b.pt");
        Fixture x;
        x.source = openCheckpoint(fixture(sourceName));
        x.target = openCheckpoint(fixture(targetName));
        x.sourceDict = selectStateDict(*x.source, QString());
        x.targetDict = selectStateDict(*x.target, QString());
        x.expected = expected(sourceName);
        it = cache.emplace(sourceName, std::move(x)).first;
    }
    return it->second;
}

QVector<ValuePair> samePairs(const QStringList& keys)
{
    QVector<ValuePair> pairs;
    for (const QString& k : keys)
        pairs.push_back({k, k});
    return pairs;
}

ValueDiffOptions optionsFor(const Config& c, double atol = 1e-8, double rtol = 1e-5)
{
    ValueDiffOptions o;
    o.threads = c.threads;
    o.values.chunkBytes = c.chunkBytes;
    o.values.atol = atol;
    o.values.rtol = rtol;
    o.sliceBytes = c.sliceBytes;
    return o;
}

ValueDiffResult run(const QVector<ValuePair>& pairs, const ValueDiffOptions& options,
                    const ValueProgress& progress = {}, const std::atomic<bool>* cancel = nullptr,
                    const Fixture& f = pairFixture())
{
    return compareValues(*f.source, f.sourceDict.entries, *f.target, f.targetDict.entries, pairs, options, progress, cancel);
}

// Every key of the fixture that torch compared, in the file's order.
QStringList comparedKeys(const Fixture& f = pairFixture())
{
    QStringList keys;
    for (const StateDictEntry& e : f.sourceDict.entries) {
        if (f.expected.value(QLatin1String("pairs")).toObject().contains(e.key))
            keys << e.key;
    }
    return keys;
}

// The whole fixture compared once per configuration; rows of the data-driven test look their key up.
const ValueDiffResult& resultFor(const QString& sourceName, int config)
{
    static std::mutex mutex;
    static std::map<std::pair<QString, int>, ValueDiffResult> cache;
    const Fixture& f = pairFixture(sourceName);
    const std::lock_guard<std::mutex> lock(mutex);
    const auto key = std::make_pair(sourceName, config);
    if (!cache.count(key))
        cache.emplace(key, run(samePairs(comparedKeys(f)), optionsFor(kConfigs[config]), {}, nullptr, f));
    return cache.at(key);
}

const ValueDiffEntry* entryOf(const ValueDiffResult& r, const QString& key)
{
    for (const ValueDiffEntry& e : r.entries) {
        if (e.sourceKey == key)
            return &e;
    }
    return nullptr;
}

// torch's number (or "nan"/"inf"/"-inf") against ours, within a relative tolerance.
bool matches(double actual, const QJsonValue& want, double relative, QString* why)
{
    if (want.isString()) {
        const QString s = want.toString();
        const bool ok = (s == QLatin1String("nan") && std::isnan(actual)) ||
                        (s == QLatin1String("inf") && std::isinf(actual) && actual > 0) ||
                        (s == QLatin1String("-inf") && std::isinf(actual) && actual < 0);
        if (!ok)
            *why = QStringLiteral("expected %1, got %2").arg(s).arg(actual, 0, 'g', 17);
        return ok;
    }
    const double w = want.toDouble();
    const bool ok = std::isfinite(actual) && std::abs(actual - w) <= relative * std::abs(w) + 1e-12;
    if (!ok)
        *why = QStringLiteral("expected %1, got %2").arg(w, 0, 'g', 17).arg(actual, 0, 'g', 17);
    return ok;
}

#define COMPARE_NUMBER(actual, want, relative)                                                                         \
    do {                                                                                                               \
        QString why;                                                                                                   \
        QVERIFY2(matches((actual), (want), (relative), &why), qPrintable(QLatin1String(#actual ": ") + why));         \
    } while (false)

qint64 rssFileKb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("RssFile:"))
            return line.mid(8).trimmed().split(' ').front().toLongLong();
    }
    return -1;
}

} // namespace

class TestValues : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pairs_data();
    void pairs();
    void otherTolerance();
    void resultsInPairOrder();
    void pairsThatCannotBeCompared();
    void quantizer();
    void statistics_data();
    void statistics();
    void progressReachesTotal();
    void cancelStopsEarly();
    void cancelStatistics();
    void pagesAreReleased();
};

void TestValues::initTestCase()
{
    QVERIFY2(QFile::exists(fixture(QStringLiteral("values_a.pt"))), "run make_fixtures first (ctest does)");
    QString error;
    QVERIFY2(tensorEngine(&error), qPrintable(error));
    QVERIFY(!pairFixture().expected.isEmpty());
    QVERIFY(comparedKeys().size() > 50);
}

void TestValues::pairs_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("config");
    QTest::addColumn<QString>("key");
    for (const QString& file : {QStringLiteral("values_a.pt"), QStringLiteral("values_be.pt")}) {
        for (int c = 0; c < int(std::size(kConfigs)); ++c) {
            for (const QString& key : comparedKeys(pairFixture(file)))
                QTest::newRow(qPrintable(QLatin1String(kConfigs[c].name) + QLatin1Char('/') + key)) << file << c << key;
        }
    }
}

void TestValues::pairs()
{
    QFETCH(QString, file);
    QFETCH(int, config);
    QFETCH(QString, key);
    const ValueDiffResult& r = resultFor(file, config);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QVERIFY(!r.cancelled);
    const ValueDiffEntry* e = entryOf(r, key);
    QVERIFY(e);
    QVERIFY2(e->state == ValueDiffEntry::State::Compared, qPrintable(e->error));
    const QJsonObject want = pairFixture(file).expected.value(QLatin1String("pairs")).toObject().value(key).toObject();
    const ValueComparison& v = e->values;
    QCOMPARE(v.numel, want.value(QLatin1String("numel")).toInteger());
    QCOMPARE(v.equal, want.value(QLatin1String("equal")).toBool());
    QCOMPARE(v.allclose, want.value(QLatin1String("allclose")).toArray().at(0).toBool());
    QCOMPARE(v.nanA, want.value(QLatin1String("nan_a")).toInteger());
    QCOMPARE(v.infA, want.value(QLatin1String("inf_a")).toInteger());
    QCOMPARE(v.nanB, want.value(QLatin1String("nan_b")).toInteger());
    QCOMPARE(v.infB, want.value(QLatin1String("inf_b")).toInteger());
    // The maximum is one float64 difference, no sum: it must be torch's to the last bit or nearly.
    COMPARE_NUMBER(v.maxAbsDiff, want.value(QLatin1String("max_abs_diff")), 1e-15);
    if (v.numel > 0 || !want.value(QLatin1String("mean_abs_diff")).isString())
        COMPARE_NUMBER(v.meanAbsDiff, want.value(QLatin1String("mean_abs_diff")), 1e-6);
    else
        QVERIFY(std::isnan(v.meanAbsDiff));
    COMPARE_NUMBER(v.relL2, want.value(QLatin1String("rel_l2")), 1e-6);
    COMPARE_NUMBER(v.cosine, want.value(QLatin1String("cosine")), 1e-6);
}

void TestValues::otherTolerance()
{
    const QJsonArray tolerances = pairFixture().expected.value(QLatin1String("tolerances")).toArray();
    QCOMPARE(tolerances.size(), 2);
    const double atol = tolerances.at(1).toArray().at(0).toDouble();
    const double rtol = tolerances.at(1).toArray().at(1).toDouble();
    const ValueDiffResult r = run(samePairs(comparedKeys()), optionsFor(kConfigs[0], atol, rtol));
    int closeNow = 0, closeBefore = 0;
    for (const ValueDiffEntry& e : r.entries) {
        const QJsonObject want = pairFixture().expected.value(QLatin1String("pairs")).toObject().value(e.sourceKey).toObject();
        QVERIFY2(e.state == ValueDiffEntry::State::Compared, qPrintable(e.error));
        QVERIFY2(e.values.allclose == want.value(QLatin1String("allclose")).toArray().at(1).toBool(), qPrintable(e.sourceKey));
        closeNow += e.values.allclose;
        closeBefore += want.value(QLatin1String("allclose")).toArray().at(0).toBool();
    }
    // The fixture has pairs that only the looser tolerance accepts, or this test would prove nothing.
    QVERIFY(closeNow > closeBefore);
}

void TestValues::resultsInPairOrder()
{
    QStringList keys = comparedKeys();
    std::reverse(keys.begin(), keys.end());
    const ValueDiffResult r = run(samePairs(keys), optionsFor(kConfigs[2]));
    QCOMPARE(r.entries.size(), keys.size());
    for (int i = 0; i < keys.size(); ++i)
        QCOMPARE(r.entries[i].sourceKey, keys[i]);
}

void TestValues::pairsThatCannotBeCompared()
{
    const QVector<ValuePair> pairs = {{QStringLiteral("shape.a"), QStringLiteral("shape.a")},
                                      {QStringLiteral("only.source"), QStringLiteral("only.source")},
                                      {QStringLiteral("nowhere"), QStringLiteral("float32.diff")},
                                      {QStringLiteral("float32.diff"), QStringLiteral("float32.diff")},
                                      {QStringLiteral("complex64.diff"), QStringLiteral("float32.diff")},
                                      {QStringLiteral("quant.vs_int8"), QStringLiteral("quant.vs_int8")}};
    const ValueDiffResult r = run(pairs, ValueDiffOptions());
    QCOMPARE(r.entries.size(), pairs.size());
    QCOMPARE(r.entries[0].state, ValueDiffEntry::State::Failed);
    QCOMPARE(r.entries[0].error, QStringLiteral("shapes differ: [3, 4] and [4, 3]"));
    QCOMPARE(r.entries[1].state, ValueDiffEntry::State::Failed);
    QCOMPARE(r.entries[1].error, QStringLiteral("no tensor only.source in the target"));
    QCOMPARE(r.entries[2].error, QStringLiteral("no tensor nowhere in the source"));
    // A failure elsewhere does not spoil its neighbours.
    QCOMPARE(r.entries[3].state, ValueDiffEntry::State::Compared);
    QCOMPARE(r.entries[4].state, ValueDiffEntry::State::Failed);
    QVERIFY2(r.entries[4].error.contains(QLatin1String("complex")), qPrintable(r.entries[4].error));
    QCOMPARE(r.entries[5].state, ValueDiffEntry::State::Failed);
    QVERIFY2(r.entries[5].error.contains(QLatin1String("quantized")), qPrintable(r.entries[5].error));
}

void TestValues::quantizer()
{
    // Same stored integers, another scale: torch.equal says no, and so must we, naming the quantizer.
    const ValueDiffResult r = run(samePairs({QStringLiteral("quant.same"), QStringLiteral("quant.scale"),
                                             QStringLiteral("quant.channel_same"), QStringLiteral("quant.channel_scales")}),
                                  ValueDiffOptions());
    QCOMPARE(r.entries[0].quantizationDiffers, false);
    QCOMPARE(r.entries[1].quantizationDiffers, true);
    QCOMPARE(r.entries[1].values.maxAbsDiff, 0.0);
    QCOMPARE(r.entries[2].quantizationDiffers, false);
    QCOMPARE(r.entries[3].quantizationDiffers, true);
}

void TestValues::statistics_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("key");
    QTest::addColumn<qint64>("sliceBytes");
    for (const QString& file : {QStringLiteral("values_a.pt"), QStringLiteral("values_be.pt")}) {
        for (const QString& key : comparedKeys(pairFixture(file)))
            QTest::newRow(qPrintable(key)) << file << key << ValueDiffOptions().sliceBytes;
    }
    // The big tensors again, merged from many slices.
    QTest::newRow("big.float32 sliced") << QStringLiteral("values_a.pt") << QStringLiteral("big.float32") << (qint64(1) << 20);
    QTest::newRow("big.float16_equal sliced") << QStringLiteral("values_a.pt") << QStringLiteral("big.float16_equal")
                                              << (qint64(3) << 20);
}

void TestValues::statistics()
{
    QFETCH(QString, file);
    QFETCH(QString, key);
    QFETCH(qint64, sliceBytes);
    const Fixture& f = pairFixture(file);
    const int bins = f.expected.value(QLatin1String("bins")).toInt();
    StateDictEntry entry;
    for (const StateDictEntry& e : f.sourceDict.entries) {
        if (e.key == key)
            entry = e;
    }
    QVERIFY(entry.tensor);
    ValueDiffOptions options;
    options.sliceBytes = sliceBytes;
    const StatisticsResult r = tensorStatistics(*f.source, entry, bins, options);
    QVERIFY2(r.ok, qPrintable(r.error));
    const QJsonObject want = f.expected.value(QLatin1String("statistics")).toObject().value(key).toObject();
    const TensorStatistics& s = r.statistics;
    QCOMPARE(s.numel, want.value(QLatin1String("numel")).toInteger());
    QCOMPARE(s.zeros, want.value(QLatin1String("zeros")).toInteger());
    QCOMPARE(s.nan, want.value(QLatin1String("nan")).toInteger());
    QCOMPARE(s.inf, want.value(QLatin1String("inf")).toInteger());
    COMPARE_NUMBER(s.min, want.value(QLatin1String("min")), 0);
    COMPARE_NUMBER(s.max, want.value(QLatin1String("max")), 0);
    COMPARE_NUMBER(s.mean, want.value(QLatin1String("mean")), 1e-6);
    COMPARE_NUMBER(s.std, want.value(QLatin1String("std")), 1e-6);
    QVector<qint64> histogram;
    for (const QJsonValue& v : want.value(QLatin1String("histogram")).toArray())
        histogram << v.toInteger();
    QCOMPARE(s.histogram, histogram);
}

void TestValues::progressReachesTotal()
{
    std::atomic<int> calls{0};
    std::atomic<qint64> last{-1};
    bool monotonic = true;
    const ValueDiffResult r = run(samePairs({QStringLiteral("big.float32"), QStringLiteral("float16.diff")}),
                                  optionsFor(kConfigs[0]), [&](qint64 done, qint64 total) {
                                      // Serialised by compareValues, so plain reads and writes are enough.
                                      monotonic = monotonic && done >= last.load() && done <= total;
                                      last = done;
                                      ++calls;
                                  });
    QVERIFY(!r.cancelled);
    QCOMPARE(r.bytesTotal, qint64(20'000'000) * 4 * 2 + 37 * 29 * 2 * 2);
    QCOMPARE(r.bytesDone, r.bytesTotal);
    QCOMPARE(last.load(), r.bytesTotal);
    QVERIFY(calls >= 2);
    QVERIFY(monotonic);
}

void TestValues::cancelStopsEarly()
{
    std::atomic<bool> cancel{false};
    int calls = 0;
    QElapsedTimer timer;
    timer.start();
    const QStringList keys = {QStringLiteral("big.float32"), QStringLiteral("big.float16_equal"), QStringLiteral("float32.diff")};
    const ValueDiffResult r = run(samePairs(keys), optionsFor(kConfigs[2]), [&](qint64, qint64) {
        ++calls;
        cancel = true;
    }, &cancel);
    QVERIFY(r.cancelled);
    QCOMPARE(calls, 2); // the first report, then the final one
    QVERIFY2(r.bytesDone < r.bytesTotal / 4, qPrintable(QString::number(r.bytesDone)));
    QCOMPARE(r.entries.size(), keys.size());
    // The big pairs cannot have finished after a few chunks.
    QCOMPARE(r.entries[0].state, ValueDiffEntry::State::NotRun);
    QCOMPARE(r.entries[1].state, ValueDiffEntry::State::NotRun);
    qInfo("cancelled after %lld of %lld bytes in %lld ms", r.bytesDone, r.bytesTotal, timer.elapsed());
}

void TestValues::cancelStatistics()
{
    const Fixture& f = pairFixture();
    StateDictEntry entry;
    for (const StateDictEntry& e : f.sourceDict.entries) {
        if (e.key == QLatin1String("big.float32"))
            entry = e;
    }
    std::atomic<bool> cancel{false};
    ValueDiffOptions options;
    options.values.chunkBytes = 1;
    const StatisticsResult r = tensorStatistics(*f.source, entry, 10, options, [&](qint64, qint64) { cancel = true; }, &cancel);
    QVERIFY(!r.ok);
    QVERIFY(r.cancelled);
    QVERIFY(r.error.isEmpty());
}

void TestValues::pagesAreReleased()
{
    // The engine is loaded already (initTestCase), so what remains resident afterwards is tensor bytes.
    // 240 MB of big tensors pass through; released pages must not stay in this process's resident set.
    const qint64 before = rssFileKb();
    QVERIFY(before > 0);
    const ValueDiffResult r = run(samePairs({QStringLiteral("big.float32"), QStringLiteral("big.float16_equal")}),
                                  optionsFor(kConfigs[0]));
    QVERIFY(!r.cancelled);
    QCOMPARE(r.entries[0].state, ValueDiffEntry::State::Compared);
    const qint64 after = rssFileKb();
    qInfo("RssFile %lld kB before, %lld kB after comparing %lld MB", before, after, r.bytesTotal >> 20);
    QVERIFY2(after - before < 32 * 1024, qPrintable(QString::number(after - before) + QLatin1String(" kB more")));
}

QTEST_GUILESS_MAIN(TestValues)
#include "tst_values.moc"
