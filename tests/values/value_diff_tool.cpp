// value_diff_tool SOURCE TARGET [--atol X] [--rtol X] [--threads N]: compares the values of every key both state
// dicts hold and prints JSON ({"seconds", "bytes", "changed": [keys not bitwise equal], "entries": [...]}).
// The benchmark's driver (bench/values) until the CLI's `diff --values` replaces it.
#include "checkpoint/checkpoint.h"
#include "checkpoint/state_dict.h"
#include "diff/value_diff.h"
#include "formats/checkpoint_loader.h"
#include "formats/format_error.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <cmath>
#include <cstdio>

using namespace statescope;

namespace {

QJsonValue number(double x)
{
    if (std::isnan(x))
        return QStringLiteral("nan");
    if (std::isinf(x))
        return x > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return x;
}

int fail(const QString& message)
{
    std::fprintf(stderr, "value_diff_tool: %s\n", qPrintable(message));
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    ValueDiffOptions options;
    QStringList files;
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        if ((a == QLatin1String("--atol") || a == QLatin1String("--rtol") || a == QLatin1String("--threads")) && i + 1 < args.size()) {
            const QString v = args[++i];
            if (a == QLatin1String("--atol"))
                options.values.atol = v.toDouble();
            else if (a == QLatin1String("--rtol"))
                options.values.rtol = v.toDouble();
            else
                options.threads = v.toInt();
        } else {
            files << a;
        }
    }
    if (files.size() != 2)
        return fail(QStringLiteral("usage: value_diff_tool SOURCE TARGET [--atol X] [--rtol X] [--threads N]"));

    QElapsedTimer timer;
    timer.start();
    try {
        const auto source = openCheckpoint(files[0]);
        const auto target = openCheckpoint(files[1]);
        const StateDict a = selectStateDict(*source, QString());
        const StateDict b = selectStateDict(*target, QString());
        QSet<QString> inTarget;
        for (const StateDictEntry& e : b.entries)
            inTarget.insert(e.key);
        QVector<ValuePair> pairs;
        for (const StateDictEntry& e : a.entries) {
            if (inTarget.contains(e.key))
                pairs.push_back({e.key, e.key});
        }
        const ValueDiffResult result = compareValues(*source, a.entries, *target, b.entries, pairs, options);
        if (!result.error.isEmpty())
            return fail(result.error);

        QJsonArray changed, entries;
        for (const ValueDiffEntry& e : result.entries) {
            QJsonObject o{{QStringLiteral("key"), e.sourceKey}};
            if (e.state != ValueDiffEntry::State::Compared) {
                o.insert(QStringLiteral("error"), e.error);
            } else {
                const ValueComparison& v = e.values;
                if (!v.equal)
                    changed.append(e.sourceKey);
                o.insert(QStringLiteral("equal"), v.equal);
                o.insert(QStringLiteral("allclose"), v.allclose);
                o.insert(QStringLiteral("max_abs_diff"), number(v.maxAbsDiff));
                o.insert(QStringLiteral("mean_abs_diff"), number(v.meanAbsDiff));
                o.insert(QStringLiteral("rel_l2"), number(v.relL2));
                o.insert(QStringLiteral("cosine"), number(v.cosine));
            }
            entries.append(o);
        }
        const QJsonObject out{{QStringLiteral("seconds"), double(timer.elapsed()) / 1000.0},
                              {QStringLiteral("bytes"), double(result.bytesTotal)},
                              {QStringLiteral("changed"), changed},
                              {QStringLiteral("entries"), entries}};
        std::fputs(QJsonDocument(out).toJson(QJsonDocument::Compact).constData(), stdout);
        std::fputs("\n", stdout);
    } catch (const FormatError& e) {
        return fail(e.message());
    }
    return 0;
}
