#pragma once

// The pairs of tests/fixtures/gen_diff_pairs.py and what real torch did with each.

#include "diff/load_rules.h"
#include "support/fixtures.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>
#include <QTest>
#include <QVector>

namespace statescope::test {

inline QJsonArray diffCases()
{
    return expected(QStringLiteral("diff_pairs")).value(QLatin1String("cases")).toArray();
}

// One data row ("pair": the case's JSON) per recorded case, named after it. TorchScript targets need the
// LibTorch plugin; builds without it (the includer does not define STATESCOPE_HAVE_TORCH_PLUGIN) skip them.
inline void addDiffCaseRows()
{
    QTest::addColumn<QJsonObject>("pair");
    for (const QJsonValue& value : diffCases()) {
        const QJsonObject pair = value.toObject();
#ifndef STATESCOPE_HAVE_TORCH_PLUGIN
        if (pair.value(QLatin1String("target_kind")).toString() == QLatin1String("torchscript"))
            continue;
#endif
        QTest::newRow(qPrintable(pair.value(QLatin1String("name")).toString())) << pair;
    }
}

// The load_state_dict rules of the oracle that recorded the cases (its torch version decides them).
inline LoadRules oracleLoadRules()
{
    return loadRulesForTorchVersion(oracleTorchVersion()).value_or(LoadRules::Current);
}

inline QStringList stringList(const QJsonValue& value)
{
    QStringList list;
    for (const QJsonValue& v : value.toArray())
        list << v.toString();
    return list;
}

inline QVector<qint64> shapeOf(const QJsonValue& value)
{
    QVector<qint64> shape;
    for (const QJsonValue& v : value.toArray())
        shape << v.toInteger();
    return shape;
}

} // namespace statescope::test
