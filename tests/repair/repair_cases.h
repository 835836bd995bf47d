#pragma once

// The cases of tests/fixtures/gen_repair.py and what real torch said about each.

#include "checkpoint/checkpoint.h"
#include "checkpoint/state_dict.h"
#include "diff/target_model.h"
#include "formats/checkpoint_loader.h"
#include "repair/repaired_state_dict.h"
#include "support/fixtures.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <memory>

namespace statescope::test {

inline QJsonArray repairCases()
{
    return expected(QStringLiteral("repair")).value(QLatin1String("cases")).toArray();
}

struct RepairCase
{
    QJsonObject json;
    std::shared_ptr<const Checkpoint> sourceFile;
    std::shared_ptr<const Checkpoint> targetFile;
    StateDict source;
    StateDict target;
    std::shared_ptr<TargetModel> model;

    explicit RepairCase(const QJsonObject& c) : json(c)
    {
        sourceFile = openCheckpoint(fixture(c.value(QLatin1String("source")).toString()));
        const QJsonValue path = c.value(QLatin1String("source_dict"));
        source = selectStateDict(*sourceFile, path.isString() ? path.toString() : QString());
        targetFile = openCheckpoint(fixture(c.value(QLatin1String("target")).toString()));
        target = selectStateDict(*targetFile, QString());
        model = std::make_shared<TargetModel>(TargetModel::fromStateDict(target, targetFile->path()));
    }
    QString name() const { return json.value(QLatin1String("name")).toString(); }
    QString rulesFile() const
    {
        const QJsonValue r = json.value(QLatin1String("rules"));
        return r.isString() ? fixture(r.toString()) : QString();
    }
};

// "key dtype [shape]" lines, the vocabulary both the generator and the tests can write.
inline QStringList describe(const QJsonArray& entries)
{
    QStringList lines;
    for (const QJsonValue& v : entries) {
        const QJsonObject o = v.toObject();
        QStringList shape;
        for (const QJsonValue& n : o.value(QLatin1String("shape")).toArray())
            shape << QString::number(n.toInteger());
        lines << o.value(QLatin1String("key")).toString() + QLatin1Char(' ') + o.value(QLatin1String("dtype")).toString() +
                     QLatin1String(" [") + shape.join(QLatin1Char(',')) + QLatin1Char(']');
    }
    return lines;
}

inline QStringList describe(const RepairedStateDict& repaired)
{
    QStringList lines;
    for (const RepairedEntry& e : repaired.entries) {
        QStringList shape;
        for (qint64 n : e.recipe.shape)
            shape << QString::number(n);
        lines << e.key + QLatin1Char(' ') + dtypeName(e.recipe.dtype) + QLatin1String(" [") + shape.join(QLatin1Char(',')) +
                     QLatin1Char(']');
    }
    return lines;
}

} // namespace statescope::test
