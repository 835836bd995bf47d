#include "value_report.h"

#include <QJsonObject>
#include <QTextStream>

#include <algorithm>
#include <cmath>

namespace statescope {

namespace {

QJsonValue finite(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

QString number(double v)
{
    if (std::isnan(v))
        return QStringLiteral("nan");
    return QString::number(v, 'g', 4);
}

} // namespace

QVector<ValuePair> valuePairsOf(const DiffResult& result)
{
    QVector<ValuePair> pairs;
    for (const MatchedKey& m : result.matched) {
        if (!m.firstElementOnly)
            pairs.push_back({m.key, m.key});
    }
    return pairs;
}

QJsonArray valuesJson(const ValueDiffResult& values)
{
    QJsonArray out;
    for (const ValueDiffEntry& e : values.entries) {
        QJsonObject o{{QStringLiteral("key"), e.targetKey}};
        if (e.sourceKey != e.targetKey)
            o.insert(QStringLiteral("source_key"), e.sourceKey);
        if (e.state != ValueDiffEntry::State::Compared) {
            o.insert(QStringLiteral("error"), e.state == ValueDiffEntry::State::NotRun ? QStringLiteral("not compared (cancelled)") : e.error);
            out.append(o);
            continue;
        }
        const ValueComparison& c = e.values;
        o.insert(QStringLiteral("equal"), c.equal);
        o.insert(QStringLiteral("max_abs_diff"), finite(c.maxAbsDiff));
        o.insert(QStringLiteral("mean_abs_diff"), finite(c.meanAbsDiff));
        o.insert(QStringLiteral("rel_l2"), finite(c.relL2));
        o.insert(QStringLiteral("cosine"), finite(c.cosine));
        o.insert(QStringLiteral("allclose"), c.allclose);
        o.insert(QStringLiteral("nan_source"), static_cast<double>(c.nanA));
        o.insert(QStringLiteral("nan_target"), static_cast<double>(c.nanB));
        o.insert(QStringLiteral("inf_source"), static_cast<double>(c.infA));
        o.insert(QStringLiteral("inf_target"), static_cast<double>(c.infB));
        if (e.quantizationDiffers)
            o.insert(QStringLiteral("quantization_differs"), true);
        out.append(o);
    }
    return out;
}

QString valuesText(const ValueDiffResult& values)
{
    QVector<const ValueDiffEntry*> changed;
    QVector<const ValueDiffEntry*> failed;
    int equal = 0;
    for (const ValueDiffEntry& e : values.entries) {
        if (e.state != ValueDiffEntry::State::Compared)
            failed.push_back(&e);
        else if (e.values.equal)
            ++equal;
        else
            changed.push_back(&e);
    }
    // Biggest relative change first: that is what a user looks for ("what did fine-tuning touch").
    std::stable_sort(changed.begin(), changed.end(), [](const ValueDiffEntry* a, const ValueDiffEntry* b) {
        const double ra = std::isnan(a->values.relL2) ? INFINITY : a->values.relL2;
        const double rb = std::isnan(b->values.relL2) ? INFINITY : b->values.relL2;
        return ra > rb;
    });
    QString text;
    QTextStream out(&text);
    out << QLatin1String("values: ") << values.entries.size() << QLatin1String(" compared, ") << equal
        << QLatin1String(" equal, ") << changed.size() << QLatin1String(" differ");
    if (!failed.isEmpty())
        out << QLatin1String(", ") << failed.size() << QLatin1String(" not compared");
    if (values.cancelled)
        out << QLatin1String(" (cancelled)");
    out << QLatin1Char('\n');
    if (!changed.isEmpty()) {
        out << QLatin1String("  key\tmax_abs_diff\tmean_abs_diff\trel_l2\tcosine\tallclose\tnan(s/t)\n");
        for (const ValueDiffEntry* e : changed) {
            const ValueComparison& c = e->values;
            out << QLatin1String("  ") << e->targetKey << QLatin1Char('\t') << number(c.maxAbsDiff) << QLatin1Char('\t')
                << number(c.meanAbsDiff) << QLatin1Char('\t') << number(c.relL2) << QLatin1Char('\t') << number(c.cosine)
                << QLatin1Char('\t') << (c.allclose ? QLatin1String("yes") : QLatin1String("no")) << QLatin1Char('\t')
                << c.nanA << QLatin1Char('/') << c.nanB << QLatin1Char('\n');
        }
    }
    for (const ValueDiffEntry* e : failed)
        out << QLatin1String("  ") << e->targetKey << QLatin1String(": ") << e->error << QLatin1Char('\n');
    out.flush();
    return text;
}

} // namespace statescope
