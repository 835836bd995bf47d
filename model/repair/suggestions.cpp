#include "suggestions.h"

#include "checkpoint/state_dict.h"
#include "diff/load_verdict.h"
#include "diff/target_model.h"
#include "formats/format_error.h"
#include "repair/apply_plan.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <climits>
#include <map>

namespace statescope {

namespace {

// Prefixes wrappers are known to add, with who adds them (for the reason text).
const std::pair<const char*, const char*> kKnownPrefixes[] = {
    {"module.", "DataParallel / DistributedDataParallel"},
    {"_orig_mod.", "torch.compile"},
    {"model.", "a Lightning module or similar container"},
    {"_forward_module.", "Lightning Fabric / DeepSpeed"},
};

struct Evaluation
{
    int problems = INT_MAX; // missing + unexpected + size mismatches; INT_MAX when the plan fails
    std::shared_ptr<const DiffResult> result;
    std::shared_ptr<const RepairedStateDict> repaired;
};

class Suggester
{
public:
    Suggester(const StateDict& source, const StateDict& target, const TargetModel& model)
        : m_source(source), m_target(target), m_model(model)
    {
    }

    QVector<Suggestion> run()
    {
        m_current = evaluate(m_plan);
        suggestPrefixes();
        suggestStructuralRenames();
        suggestFill();
        suggestShapeRepairs();
        suggestDrops();
        return m_suggestions;
    }

private:
    Evaluation evaluate(const RepairPlan& plan) const
    {
        Evaluation e;
        try {
            e.repaired = applyPlan(plan, m_source, &m_target);
            e.result = computeLoadVerdict(e.repaired->view, m_model, QStringLiteral("Model"));
            e.problems = int(e.result->missing.size() + e.result->unexpected.size() + e.result->sizeMismatch.size());
        } catch (const FormatError&) {
            // A candidate that collides keys is no candidate.
        }
        return e;
    }

    // Keeps the rules when they reduce the problems; returns whether they did.
    bool tryAdd(const QVector<RepairRule>& rules, double confidence, const QString& reason, bool lossless)
    {
        RepairPlan plan = m_plan;
        for (const RepairRule& r : rules)
            plan = plan.withRule(r);
        Evaluation e = evaluate(plan);
        if (e.problems >= m_current.problems)
            return false;
        m_plan = plan;
        m_current = std::move(e);
        m_suggestions.push_back({rules, std::clamp(confidence, 0.0, 1.0), reason, lossless});
        return true;
    }

    QStringList currentKeys() const
    {
        QStringList keys;
        for (const StateDictEntry& e : m_current.repaired->view.entries)
            keys << e.key;
        return keys;
    }

    static QString wrapperNote(const QString& prefix)
    {
        for (const auto& [known, who] : kKnownPrefixes) {
            if (prefix == QLatin1String(known))
                return QLatin1String(" (the prefix ") + QLatin1String(who) + QLatin1String(" adds)");
        }
        return QString();
    }

    void suggestPrefixes()
    {
        QSet<QString> targetKeys;
        for (const StateDictEntry& e : m_target.entries)
            targetKeys.insert(e.key);
        // A wrapper inside a wrapper needs two rounds (strip "module." then strip "_orig_mod.", or strip then add).
        for (int round = 0; round < 3 && m_current.repaired; ++round) {
            const QStringList keys = currentKeys();
            const QSet<QString> sourceKeys(keys.cbegin(), keys.cend());
            std::map<QString, int> strip; // prefix -> source keys it makes meet the target
            std::map<QString, int> add;
            for (const QString& s : keys) {
                for (qsizetype i = s.indexOf(QLatin1Char('.')); i >= 0; i = s.indexOf(QLatin1Char('.'), i + 1)) {
                    if (targetKeys.contains(s.mid(i + 1)) && !targetKeys.contains(s))
                        ++strip[s.left(i + 1)];
                }
            }
            for (const QString& t : std::as_const(targetKeys)) {
                for (qsizetype i = t.indexOf(QLatin1Char('.')); i >= 0; i = t.indexOf(QLatin1Char('.'), i + 1)) {
                    if (sourceKeys.contains(t.mid(i + 1)) && !sourceKeys.contains(t))
                        ++add[t.left(i + 1)];
                }
            }
            struct Candidate
            {
                RepairRule rule;
                int count;
            };
            QVector<Candidate> candidates;
            for (const auto& [prefix, count] : strip)
                candidates.push_back({RepairRule::stripPrefix(prefix), count});
            for (const auto& [prefix, count] : add)
                candidates.push_back({RepairRule::addPrefix(prefix), count});
            std::stable_sort(candidates.begin(), candidates.end(),
                             [](const Candidate& a, const Candidate& b) { return a.count > b.count; });
            if (candidates.size() > 6)
                candidates.resize(6); // the verdict decides among the most promising few
            int best = -1;
            Evaluation bestEvaluation;
            for (int i = 0; i < candidates.size(); ++i) {
                Evaluation e = evaluate(m_plan.withRule(candidates.at(i).rule));
                if (e.problems < m_current.problems && e.problems < bestEvaluation.problems) {
                    best = i;
                    bestEvaluation = std::move(e);
                }
            }
            if (best < 0)
                return;
            const Candidate& c = candidates.at(best);
            const bool isStrip = c.rule.op == RepairRule::Op::StripPrefix;
            qsizetype touched = 0;
            for (const QString& k : keys)
                touched += isStrip ? k.startsWith(c.rule.prefix) : 1;
            const QString reason =
                (isStrip ? QLatin1String("strip \"") : QLatin1String("add \"")) + c.rule.prefix +
                QLatin1String("\"") + (isStrip ? wrapperNote(c.rule.prefix) : QString()) + QLatin1String(": ") +
                QString::number(c.count) + QLatin1String(" of ") + QString::number(touched) +
                QLatin1String(" keys then match the target's keys");
            // Sure when the prefix is on every key; the rest may need more rules before they meet.
            const double share = keys.isEmpty() ? 0.0 : double(touched) / double(keys.size());
            const double met = touched ? double(c.count) / double(touched) : 0.0;
            tryAdd({c.rule}, 0.6 * share + 0.4 * met, reason, true);
        }
    }

    static QString regexEscape(const QString& text)
    {
        static const QString special = QStringLiteral(".^$*+?{}[]\\|()");
        QString out;
        for (QChar c : text) {
            if (special.contains(c))
                out += QLatin1Char('\\');
            out += c;
        }
        return out;
    }

    // "layer12.0" -> pattern "layer(\d+)\.0" with the digit runs it captured.
    static QString digitTemplate(const QString& head, QStringList& digits, bool replacement)
    {
        static const QRegularExpression runs(QStringLiteral("\\d+"));
        QString out;
        qsizetype last = 0;
        auto it = runs.globalMatch(head);
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            const QString before = head.mid(last, m.capturedStart() - last);
            out += replacement ? before : regexEscape(before);
            digits << m.captured();
            out += replacement ? QLatin1Char('\\') + QString::number(digits.size()) : QStringLiteral("(\\d+)");
            last = m.capturedEnd();
        }
        const QString rest = head.mid(last);
        out += replacement ? rest : regexEscape(rest);
        return out;
    }

    void suggestStructuralRenames()
    {
        if (!m_current.result || m_current.result->unexpected.isEmpty() || m_current.result->missing.isEmpty())
            return;
        const QSet<QString> unexpected(m_current.result->unexpected.cbegin(), m_current.result->unexpected.cend());
        QHash<QString, const PyTensor*> targetTensors;
        for (const StateDictEntry& e : m_target.entries)
            targetTensors.insert(e.key, e.tensor);
        // dtype is not part of it: load_state_dict casts on copy, and an fp16 checkpoint of an fp32 model is
        // the common case.
        auto signature = [](const QString& key, const PyTensor* t) {
            QString s = key.mid(key.lastIndexOf(QLatin1Char('.')) + 1);
            for (qint64 n : t->shape)
                s += QLatin1Char('|') + QString::number(n);
            return s;
        };
        // Ordered sequences of (leaf, shape) of both sides' unmatched keys, grouped by that signature:
        // a signature seen as often on both sides pairs up in module-tree order.
        std::map<QString, std::pair<QStringList, QStringList>> groups;
        for (const StateDictEntry& e : m_current.repaired->view.entries) {
            if (unexpected.contains(e.key))
                groups[signature(e.key, e.tensor)].first << e.key;
        }
        for (const QString& key : m_current.result->missing) {
            if (const PyTensor* t = targetTensors.value(key))
                groups[signature(key, t)].second << key;
        }
        QVector<std::pair<QString, QString>> pairs;
        int ambiguous = 0;
        for (const auto& [sig, sides] : groups) {
            if (sides.first.size() == sides.second.size()) {
                for (qsizetype i = 0; i < sides.first.size(); ++i)
                    pairs.push_back({sides.first.at(i), sides.second.at(i)});
            } else {
                ambiguous += int(std::min(sides.first.size(), sides.second.size()));
            }
        }
        if (pairs.isEmpty())
            return;
        // Whole-module renames: drop the components both keys end with; what is left is a module mapping.
        QHash<QString, QString> heads;
        bool consistent = true;
        for (const auto& [s, t] : pairs) {
            QStringList a = s.split(QLatin1Char('.'));
            QStringList b = t.split(QLatin1Char('.'));
            while (!a.isEmpty() && !b.isEmpty() && a.last() == b.last()) {
                a.removeLast();
                b.removeLast();
            }
            const QString hs = a.join(QLatin1Char('.'));
            const QString ht = b.join(QLatin1Char('.'));
            if (hs.isEmpty() || ht.isEmpty() || (heads.contains(hs) && heads.value(hs) != ht)) {
                consistent = false;
                break;
            }
            heads.insert(hs, ht);
        }
        const double confidence = ambiguous ? 0.7 : 0.9;
        const QString reason = QString::number(pairs.size()) +
                               QLatin1String(" unmatched keys pair up one-to-one by leaf name and shape in "
                                             "module order");
        if (consistent) {
            // Modules that differ only in their numbers (layer1 -> stage1, layer2 -> stage2) become one regex;
            // the others one anchored rename each, longer heads first.
            std::map<std::pair<QString, QString>, QStringList> numbered;
            QStringList single;
            for (auto it = heads.cbegin(); it != heads.cend(); ++it) {
                QStringList ds;
                QStringList dt;
                const QString pattern = digitTemplate(it.key(), ds, false);
                const QString replacement = digitTemplate(it.value(), dt, true);
                if (!ds.isEmpty() && ds == dt)
                    numbered[{pattern, replacement}] << it.key();
                else
                    single << it.key();
            }
            QVector<RepairRule> rules;
            int generalised = 0;
            for (const auto& [templates, members] : numbered) {
                if (members.size() < 2) {
                    single << members;
                    continue;
                }
                ++generalised;
                rules << RepairRule::rename(QLatin1Char('^') + templates.first + QLatin1String("\\."),
                                            templates.second + QLatin1Char('.'));
            }
            std::sort(single.begin(), single.end(), [](const QString& x, const QString& y) {
                return x.size() > y.size() || (x.size() == y.size() && x < y);
            });
            for (const QString& hs : std::as_const(single))
                rules << RepairRule::rename(QLatin1Char('^') + regexEscape(hs) + QLatin1String("\\."),
                                            heads.value(hs) + QLatin1Char('.'));
            const QString how = generalised && single.isEmpty() && generalised == 1
                                    ? QStringLiteral(", as one numbered module rename")
                                    : QStringLiteral(", as whole-module renames");
            if (tryAdd(rules, confidence, reason + how, true))
                return;
        }
        QVector<RepairRule> maps;
        for (const auto& [s, t] : pairs)
            maps << RepairRule::map(s, t);
        tryAdd(maps, confidence - 0.1, reason + QLatin1String(", as exact key maps"), true);
    }

    void suggestFill()
    {
        if (!m_current.result)
            return;
        int count = 0;
        for (const QString& key : m_current.result->missing)
            count += key == QLatin1String("num_batches_tracked") || key.endsWith(QLatin1String(".num_batches_tracked"));
        if (count == 0)
            return;
        tryAdd({RepairRule::fillNumBatchesTracked()}, 1.0,
               QString::number(count) + QLatin1String(" BatchNorm num_batches_tracked buffers are missing and torch "
                                                      "will not fill them (_metadata version 2 or later); they "
                                                      "start at 0 as in a fresh model"),
               true);
    }

    void suggestShapeRepairs()
    {
        if (!m_current.result)
            return;
        QHash<QString, const PyTensor*> targetTensors;
        for (const StateDictEntry& e : m_target.entries)
            targetTensors.insert(e.key, e.tensor);
        const QVector<ShapeMismatch> mismatches = m_current.result->sizeMismatch;
        for (const ShapeMismatch& m : mismatches) {
            const QString pattern = QLatin1Char('^') + regexEscape(m.key) + QLatin1Char('$');
            const QVector<qint64>& a = m.sourceShape;
            const QVector<qint64>& b = m.targetShape;
            RepairRule rule;
            rule.pattern = pattern;
            QString reason;
            double confidence = 0.5;
            if (a.size() == 2 && b.size() == 2 && a.at(0) == b.at(1) && a.at(1) == b.at(0)) {
                rule.op = RepairRule::Op::Transpose;
                reason = QStringLiteral("the shape is the target's transposed (Conv1D vs Linear layout)");
                confidence = 0.8;
            } else if (a.size() == b.size() && a.size() >= 2 && a.last() == b.last() &&
                       a.mid(0, a.size() - 2) == b.mid(0, b.size() - 2) && isGrid(a.at(a.size() - 2), b.at(b.size() - 2))) {
                rule.op = RepairRule::Op::Resize;
                rule.mode = RepairRule::ResizeMode::Interpolate;
                rule.prefixTokens = gridPrefix(a.at(a.size() - 2), b.at(b.size() - 2));
                reason = QStringLiteral("position embeddings on a different square grid: bicubic interpolation "
                                        "(values change)");
            } else if (a.size() == b.size()) {
                rule.op = RepairRule::Op::Resize;
                rule.mode = RepairRule::ResizeMode::SlicePad;
                reason = QStringLiteral("a different size (e.g. num_classes): keep the overlap, the rest from the "
                                        "target (values change)");
                confidence = 0.4;
            } else {
                rule.op = RepairRule::Op::TakeFromTarget;
                reason = QStringLiteral("incompatible shapes: use the target's tensor (the source's is lost)");
                confidence = 0.3;
            }
            tryAdd({rule}, confidence, QLatin1Char('"') + m.key + QLatin1String("\": ") + reason, false);
        }
    }

    // Keys nothing in the target takes, once nothing is missing any more: dropping them is the only way to
    // strict=True, and it loses them, so it is never lossless. A whole top-level module goes as one rule.
    void suggestDrops()
    {
        if (!m_current.result || m_current.result->unexpected.isEmpty() || !m_current.result->missing.isEmpty())
            return;
        const QStringList unexpected = m_current.result->unexpected;
        const QSet<QString> unexpectedSet(unexpected.cbegin(), unexpected.cend());
        auto head = [](const QString& key) {
            const qsizetype dot = key.indexOf(QLatin1Char('.'));
            return dot < 0 ? QString() : key.left(dot);
        };
        QSet<QString> partlyUsed; // top-level modules with a key the target takes
        for (const StateDictEntry& e : m_current.repaired->view.entries) {
            if (!unexpectedSet.contains(e.key))
                partlyUsed.insert(head(e.key));
        }
        QStringList patterns;
        for (const QString& key : unexpected) {
            const QString h = head(key);
            const QString pattern = !h.isEmpty() && !partlyUsed.contains(h)
                                        ? QString(QLatin1Char('^') + regexEscape(h) + QLatin1String("\\."))
                                        : QString(QLatin1Char('^') + regexEscape(key) + QLatin1Char('$'));
            if (!patterns.contains(pattern))
                patterns << pattern;
        }
        QVector<RepairRule> rules;
        for (const QString& pattern : patterns) {
            RepairRule r;
            r.op = RepairRule::Op::Drop;
            r.pattern = pattern;
            rules << r;
        }
        tryAdd(rules, 0.5,
               QString::number(unexpected.size()) +
                   QLatin1String(" source keys have no place in the target model; dropping them loses them"),
               false);
    }

    static bool isSquare(qint64 n)
    {
        if (n <= 0)
            return false;
        qint64 r = qint64(std::sqrt(double(n)));
        while (r * r > n)
            --r;
        while ((r + 1) * (r + 1) <= n)
            ++r;
        return r * r == n;
    }
    static int gridPrefix(qint64 a, qint64 b)
    {
        for (int p = 0; p <= 8; ++p) { // timm uses 0 (no class token), 1 (class token) or a few registers
            if (isSquare(a - p) && isSquare(b - p))
                return p;
        }
        return -1;
    }
    static bool isGrid(qint64 a, qint64 b) { return a != b && a > 4 && b > 4 && gridPrefix(a, b) >= 0; }

    const StateDict& m_source;
    const StateDict& m_target;
    const TargetModel& m_model;
    RepairPlan m_plan;
    Evaluation m_current;
    QVector<Suggestion> m_suggestions;
};

} // namespace

QVector<Suggestion> suggest(const StateDict& source, const StateDict& target, const TargetModel& model)
{
    return Suggester(source, target, model).run();
}

RepairPlan suggestedPlan(const QVector<Suggestion>& suggestions, const StateDict& source, bool losslessOnly)
{
    RepairPlan plan;
    plan.sourceDict = source.path.isNull() ? QStringLiteral("") : source.path;
    for (const Suggestion& s : suggestions) {
        if (losslessOnly && !s.lossless)
            continue;
        for (const RepairRule& r : s.rules)
            plan.rules.push_back(r);
    }
    return plan;
}

RepairPlan suggestedPlan(const StateDict& source, const StateDict& target, const TargetModel& model,
                         bool losslessOnly)
{
    return suggestedPlan(suggest(source, target, model), source, losslessOnly);
}

} // namespace statescope
