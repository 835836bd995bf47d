// `statescope diff --values` against torch's own arithmetic (recorded by gen_values.py): every dtype, NaN/Inf,
// views, quantized; both tolerance settings; exit status still the load verdict.

#include "support/fixtures.h"

#include <QJsonArray>
#include <QtTest>

#include <cmath>

using namespace statescope::test;

namespace {

bool close(const QJsonValue& got, const QJsonValue& want)
{
    // JSON has no NaN or Inf: the generator writes them as strings, the CLI as null.
    if (want.isNull() || want.isString() || (want.isDouble() && !std::isfinite(want.toDouble())))
        return got.isNull();
    if (!got.isDouble() || !want.isDouble())
        return got == want;
    const double g = got.toDouble();
    const double w = want.toDouble();
    return std::abs(g - w) <= 1e-6 * std::max(1.0, std::abs(w));
}

} // namespace

class TestCliValues : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matchesTorchArithmetic_data();
    void matchesTorchArithmetic();
    void textListsChangedTensors();
    void rejectsBadTolerances();
};

void TestCliValues::matchesTorchArithmetic_data()
{
    QTest::addColumn<int>("tolerance");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("target");
    QTest::newRow("default tolerances") << 0 << QStringLiteral("values_a.pt") << QStringLiteral("values_b.pt");
    QTest::newRow("loose tolerances") << 1 << QStringLiteral("values_a.pt") << QStringLiteral("values_b.pt");
    QTest::newRow("big-endian source") << 0 << QStringLiteral("values_be.pt") << QStringLiteral("values_le.pt");
}

void TestCliValues::matchesTorchArithmetic()
{
    QFETCH(int, tolerance);
    QFETCH(QString, source);
    QFETCH(QString, target);
    const QJsonObject want = expected(source);
    const QJsonArray tolerances = want.value(QLatin1String("tolerances")).toArray()[tolerance].toArray();
    const ProcessResult r = runStatescope({QStringLiteral("diff"), fixture(source), fixture(target), QStringLiteral("--values"),
                                           QStringLiteral("--json"), QStringLiteral("--atol"),
                                           QString::number(tolerances[0].toDouble(), 'g', 17), QStringLiteral("--rtol"),
                                           QString::number(tolerances[1].toDouble(), 'g', 17)});
    QVERIFY2(r.exitCode == 0 || r.exitCode == 1, r.err.constData());
    const QJsonObject json = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(r.exitCode, json.value(QLatin1String("loadable")).toBool() ? 0 : 1);
    const QJsonObject pairs = want.value(QLatin1String("pairs")).toObject();
    int checked = 0;
    for (const QJsonValue& v : json.value(QLatin1String("values")).toArray()) {
        const QJsonObject got = v.toObject();
        const QString key = got.value(QLatin1String("key")).toString();
        if (!pairs.contains(key))
            continue;
        const QJsonObject t = pairs.value(key).toObject();
        QVERIFY2(!got.contains(QLatin1String("error")), qPrintable(key));
        QCOMPARE(got.value(QLatin1String("equal")).toBool(), t.value(QLatin1String("equal")).toBool());
        QCOMPARE(got.value(QLatin1String("allclose")).toBool(), t.value(QLatin1String("allclose")).toArray()[tolerance].toBool());
        for (const auto& [mine, theirs] : {std::pair{"max_abs_diff", "max_abs_diff"}, {"mean_abs_diff", "mean_abs_diff"},
                                           {"rel_l2", "rel_l2"}, {"cosine", "cosine"}}) {
            if (!close(got.value(QLatin1String(mine)), t.value(QLatin1String(theirs))))
                QFAIL(qPrintable(key + QLatin1Char(' ') + QLatin1String(mine) + QLatin1String(": ") +
                                 QString::fromUtf8(QJsonDocument(QJsonArray{got.value(QLatin1String(mine)), t.value(QLatin1String(theirs))})
                                                       .toJson(QJsonDocument::Compact))));
        }
        QCOMPARE(got.value(QLatin1String("nan_source")).toInt(), t.value(QLatin1String("nan_a")).toInt());
        QCOMPARE(got.value(QLatin1String("nan_target")).toInt(), t.value(QLatin1String("nan_b")).toInt());
        ++checked;
    }
    QCOMPARE(checked, pairs.size());
}

void TestCliValues::textListsChangedTensors()
{
    const ProcessResult r = runStatescope({QStringLiteral("diff"), fixture(QStringLiteral("values_a.pt")),
                                           fixture(QStringLiteral("values_b.pt")), QStringLiteral("--values")});
    QCOMPARE(r.exitCode, 1); // "only.source" is unexpected: the verdict still decides the status
    QVERIFY(r.out.contains("Error(s) in loading state_dict for Model:"));
    QVERIFY(r.out.contains("values: "));
    QVERIFY(r.out.contains("float64.diff"));
}

void TestCliValues::rejectsBadTolerances()
{
    const ProcessResult r = runStatescope({QStringLiteral("diff"), fixture(QStringLiteral("values_a.pt")),
                                           fixture(QStringLiteral("values_b.pt")), QStringLiteral("--values"),
                                           QStringLiteral("--atol"), QStringLiteral("abc")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.startsWith("statescope: "));
}

QTEST_GUILESS_MAIN(TestCliValues)
#include "tst_cli_values.moc"
