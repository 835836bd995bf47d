// Compare Values and `diff --values --rules` on keys whose repair recipe computes the tensor: what is compared
// is what the export would write (transposed, cast, resized, taken from the target) against the target, with
// real torch's arithmetic on the same recipes (tests/fixtures/gen_values_recipes.py) as the reference.
#include "checkpoint/checkpoint.h"
#include "checkpoint/state_dict.h"
#include "diff/value_diff.h"
#include "diff/value_report.h"
#include "formats/checkpoint_loader.h"
#include "repair/apply_plan.h"
#include "repair/repair_plan.h"
#include "session/session.h"
#include "session/value_jobs.h"
#include "support/fixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace statescope;
using statescope::test::expected;
using statescope::test::fixture;

namespace {

const QString kSource = QStringLiteral("values_recipes_src.pt");
const QString kTarget = QStringLiteral("values_recipes_tgt.pt");
const QString kRules = QStringLiteral("values_recipes.rules.json");

QJsonObject wanted()
{
    return expected(kSource).value(QLatin1String("pairs")).toObject();
}

// A number of ours against torch's (a JSON number, or "nan"/"inf" strings), to a relative tolerance.
bool matches(double actual, const QJsonValue& want, double relative, QString* why)
{
    if (want.isString()) {
        const QString w = want.toString();
        const bool ok = w == QLatin1String("nan") ? std::isnan(actual) : std::isinf(actual) && (actual > 0) == (w == QLatin1String("inf"));
        *why = QString::number(actual) + QLatin1String(" vs ") + w;
        return ok;
    }
    const double w = want.toDouble();
    *why = QString::number(actual, 'g', 17) + QLatin1String(" vs torch's ") + QString::number(w, 'g', 17);
    return std::abs(actual - w) <= relative * std::max(std::abs(w), 1e-300) || actual == w;
}

#define COMPARE_TO_TORCH(actual, want, relative)                                                                       \
    do {                                                                                                               \
        QString why;                                                                                                   \
        QVERIFY2(matches((actual), (want), (relative), &why), qPrintable(QLatin1String(#actual ": ") + why));         \
    } while (false)

// Relative tolerances. The largest difference is one float64 value: torch's to the last bit when the oracle is the torch the
// engine links (Debian's LibTorch and python3-torch). Another torch's bicubic interpolation rounds float32
// differently (torch 2.13 vs LibTorch 1.13: 3.9774968 vs 3.9774971, 8e-8 relative), so across versions the
// recipe is held to float32 precision.
double tolerance(double sameTorch)
{
    const QString engine = QStringLiteral(STATESCOPE_LIBTORCH_VERSION).section(QLatin1Char('.'), 0, 1);
    return test::oracleTorchVersion().section(QLatin1Char('.'), 0, 1) == engine ? sameTorch : std::max(sameTorch, 1e-6);
}

} // namespace

class TestValuesRecipes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void direct_data();
    void direct();
    void compareValuesGui();
    void cli();
    void cancelled();

private:
    // One comparison as a value the data rows check.
    static void checkEntry(const ValueDiffEntry& e, const QJsonObject& want);
    ValueDiffResult runDirect(int threads, qint64 chunkBytes, const std::atomic<bool>* cancel = nullptr) const;

    std::shared_ptr<const Checkpoint> m_source, m_target;
    StateDict m_sourceDict, m_targetDict;
    std::shared_ptr<const RepairedStateDict> m_repaired;
};

void TestValuesRecipes::initTestCase()
{
    QVERIFY2(!wanted().isEmpty(), "run tests/fixtures/make_fixtures.py first (ctest does)");
    m_source = openCheckpoint(fixture(kSource));
    m_target = openCheckpoint(fixture(kTarget));
    m_sourceDict = selectStateDict(*m_source, QString());
    m_targetDict = selectStateDict(*m_target, QString());
    m_repaired = applyPlan(readRepairPlan(fixture(kRules)), m_sourceDict, &m_targetDict);
}

ValueDiffResult TestValuesRecipes::runDirect(int threads, qint64 chunkBytes, const std::atomic<bool>* cancel) const
{
    QVector<ValuePair> pairs;
    for (const QString& key : wanted().keys())
        pairs.push_back({key, key});
    ValueDiffOptions options;
    options.threads = threads;
    options.values.chunkBytes = chunkBytes;
    return compareRepairedValues(*m_source, *m_repaired, *m_target, m_targetDict.entries, pairs, options, {}, cancel);
}

void TestValuesRecipes::checkEntry(const ValueDiffEntry& e, const QJsonObject& want)
{
    QVERIFY2(e.state == ValueDiffEntry::State::Compared, qPrintable(e.targetKey + QLatin1String(": ") + e.error));
    const ValueComparison& v = e.values;
    QCOMPARE(v.numel, want.value(QLatin1String("numel")).toInteger());
    QCOMPARE(v.equal, want.value(QLatin1String("equal")).toBool());
    QCOMPARE(v.allclose, want.value(QLatin1String("allclose")).toArray().at(0).toBool());
    QCOMPARE(v.nanA, want.value(QLatin1String("nan_a")).toInteger());
    QCOMPARE(v.nanB, want.value(QLatin1String("nan_b")).toInteger());
    COMPARE_TO_TORCH(v.maxAbsDiff, want.value(QLatin1String("max_abs_diff")), tolerance(1e-15));
    COMPARE_TO_TORCH(v.meanAbsDiff, want.value(QLatin1String("mean_abs_diff")), tolerance(1e-9));
    COMPARE_TO_TORCH(v.relL2, want.value(QLatin1String("rel_l2")), tolerance(1e-9));
    COMPARE_TO_TORCH(v.cosine, want.value(QLatin1String("cosine")), tolerance(1e-9));
}

// compareRepairedValues itself: one thread, and several with tiny chunks (the computed tensor is still compared
// in chunks), key by key.
void TestValuesRecipes::direct_data()
{
    QTest::addColumn<int>("threads");
    QTest::addColumn<qint64>("chunkBytes");
    QTest::addColumn<QString>("key");
    for (const QString& key : wanted().keys()) {
        QTest::newRow(qPrintable(QLatin1String("serial/") + key)) << 1 << ValueOptions().chunkBytes << key;
        QTest::newRow(qPrintable(QLatin1String("parallel/") + key)) << 3 << qint64(7) << key;
    }
}

void TestValuesRecipes::direct()
{
    QFETCH(int, threads);
    QFETCH(qint64, chunkBytes);
    QFETCH(QString, key);
    const ValueDiffResult r = runDirect(threads, chunkBytes);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    QVERIFY(!r.cancelled);
    const QJsonObject want = wanted().value(key).toObject();
    for (const ValueDiffEntry& e : r.entries) {
        if (e.targetKey != key)
            continue;
        QCOMPARE(e.sourceKey, want.value(QLatin1String("source_key")).toString());
        checkEntry(e, want);
        // Progress counts what was compared: the output as written plus the target.
        QCOMPARE(e.bytes, 2 * want.value(QLatin1String("numel")).toInteger() *
                              (want.value(QLatin1String("dtype")).toString() == QLatin1String("float64") ? 8 : 4));
        return;
    }
    QFAIL("key not compared");
}

// The window's Ctrl+R: the session diffs with the plan on its worker, ValueJobs compares its snapshot there.
void TestValuesRecipes::compareValuesGui()
{
    Session session;
    session.setPlan(readRepairPlan(fixture(kRules)));
    QSignalSpy diffs(&session, &Session::diffReady);
    session.open(Side::Source, fixture(kSource));
    session.open(Side::Target, fixture(kTarget));
    QTRY_VERIFY_WITH_TIMEOUT(diffs.count() >= 1 && !session.isBusy(), 20000);
    QVERIFY(session.diff().verdict);
    QVERIFY(session.diff().verdict->loadable);

    ValueJobs jobs(&session);
    QSignalSpy finished(&jobs, &ValueJobs::compareFinished);
    QSignalSpy failed(&jobs, &ValueJobs::compareFailed);
    jobs.compareValues(session.diff());
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() == 1, 30000);
    QCOMPARE(failed.count(), 0);
    const ValueDiffPtr values = jobs.values();
    QVERIFY(values);
    const QJsonObject all = wanted();
    QCOMPARE(values->entries.size(), all.size()); // every key of the target, none failed or skipped
    for (const ValueDiffEntry& e : values->entries) {
        QVERIFY2(all.contains(e.targetKey), qPrintable(e.targetKey));
        checkEntry(e, all.value(e.targetKey).toObject());
        if (QTest::currentTestFailed())
            return;
    }
}

// `statescope diff --values --rules` reports the same numbers for the computed keys, under their source keys.
void TestValuesRecipes::cli()
{
    const auto r = test::runStatescope({QStringLiteral("diff"), fixture(kSource), fixture(kTarget), QStringLiteral("--rules"),
                                        fixture(kRules), QStringLiteral("--values"), QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonArray values = QJsonDocument::fromJson(r.out).object().value(QLatin1String("values")).toArray();
    const QJsonObject all = wanted();
    QCOMPARE(values.size(), all.size());
    for (const QJsonValue& v : values) {
        const QJsonObject o = v.toObject();
        const QString key = o.value(QLatin1String("key")).toString();
        const QJsonObject want = all.value(key).toObject();
        QVERIFY2(!want.isEmpty(), qPrintable(key));
        QVERIFY2(!o.contains(QLatin1String("error")), qPrintable(key + QLatin1String(": ") + o.value(QLatin1String("error")).toString()));
        QCOMPARE(o.value(QLatin1String("source_key")).toString(), want.value(QLatin1String("source_key")).toString());
        QCOMPARE(o.value(QLatin1String("equal")).toBool(), want.value(QLatin1String("equal")).toBool());
        QCOMPARE(o.value(QLatin1String("allclose")).toBool(), want.value(QLatin1String("allclose")).toArray().at(0).toBool());
        COMPARE_TO_TORCH(o.value(QLatin1String("max_abs_diff")).toDouble(), want.value(QLatin1String("max_abs_diff")),
                         tolerance(1e-15));
        COMPARE_TO_TORCH(o.value(QLatin1String("rel_l2")).toDouble(), want.value(QLatin1String("rel_l2")), tolerance(1e-9));
    }
}

// Cancelled before any tensor is taken: nothing is computed, nothing claims to be compared.
void TestValuesRecipes::cancelled()
{
    const std::atomic<bool> cancel{true};
    const ValueDiffResult r = runDirect(2, ValueOptions().chunkBytes, &cancel);
    QVERIFY(r.cancelled);
    for (const ValueDiffEntry& e : r.entries)
        QCOMPARE(e.state, ValueDiffEntry::State::NotRun);
}

QTEST_GUILESS_MAIN(TestValuesRecipes)
#include "tst_values_recipes.moc"
