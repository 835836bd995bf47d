#pragma once

// The pairs of tests/fixtures/gen_diff_pairs.py and what real torch did with each.

#include "support/fixtures.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>
#include <QVector>

namespace statescope::test {

inline QJsonArray diffCases()
{
    return expected(QStringLiteral("diff_pairs")).value(QLatin1String("cases")).toArray();
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
