#include "suggestions.h"

#include "checkpoint/dtype.h"
#include "checkpoint/state_dict.h"
#include "diff/load_verdict.h"
#include "diff/target_model.h"
#include "formats/format_error.h"
#include "repair/apply_plan.h"

#include <QHash>
#include <QMap>
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

// Leaf names that mean the same parameter in different code bases: TF ports and old BERT code name
// LayerNorm's parameters gamma/beta; torch calls them weight/bias.
const std::pair<const char*, const char*> kLeafSynonyms[] = {
    {"gamma", "weight"},
    {"beta", "bias"},
};

class Suggester
{
public:
    Suggester(const StateDict& source, const StateDict& target, const TargetModel& model, bool prefixesFirst)
        : m_source(source), m_target(target), m_model(model), m_prefixesFirst(prefixesFirst)
    {
        for (const StateDictEntry& e : m_target.entries)
            m_targetTensors.insert(e.key, e.tensor);
    }

    QVector<Suggestion> run()
    {
        m_current = evaluate(m_plan);
        if (m_prefixesFirst) {
            suggestPrefixes();
            suggestStructuralRenames();
        } else {
            suggestStructuralRenames();
            suggestPrefixes();
        }
        suggestFill();
        suggestNewHead();
        suggestShapeRepairs();
        suggestDrops();
        return m_suggestions;
    }

    // Missing + unexpected + size mismatches left after every suggestion.
    int problems() const { return m_current.problems; }
    int ruleCount() const { return int(m_plan.rules.size()); }

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

    // Leaf renames the pair itself shows: a leaf name that no target key has, found only on unexpected keys,
    // against one that no source key has, found only on missing keys, with the same shapes (as many, in
    // order); or a known synonym pair (gamma/weight) under the same conditions on the source side.
    QHash<QString, QString> learnLeafRenames(const QSet<QString>& unexpected) const
    {
        QSet<QString> sourceLeaves;
        QSet<QString> targetLeaves;
        std::map<QString, QVector<QVector<qint64>>> unexpectedShapes; // leaf -> shapes, source order
        std::map<QString, QVector<QVector<qint64>>> missingShapes;
        for (const StateDictEntry& e : m_current.repaired->view.entries) {
            sourceLeaves.insert(leafOf(e.key));
            if (unexpected.contains(e.key) && e.tensor)
                unexpectedShapes[leafOf(e.key)] << e.tensor->shape;
        }
        for (const StateDictEntry& e : m_target.entries)
            targetLeaves.insert(leafOf(e.key));
        for (const QString& key : m_current.result->missing) {
            if (const PyTensor* t = m_targetTensors.value(key))
                missingShapes[leafOf(key)] << t->shape;
        }
        QHash<QString, QString> renames;
        for (const auto& [a, b] : kLeafSynonyms) {
            const QString from = QLatin1String(a);
            const QString to = QLatin1String(b);
            if (unexpectedShapes.count(from) && missingShapes.count(to) && !targetLeaves.contains(from))
                renames.insert(from, to);
        }
        for (const auto& [from, shapes] : unexpectedShapes) {
            if (renames.contains(from) || targetLeaves.contains(from))
                continue;
            QString match;
            int candidates = 0;
            for (const auto& [to, targetShapes] : missingShapes) {
                if (!sourceLeaves.contains(to) && targetShapes == shapes) {
                    match = to;
                    ++candidates;
                }
            }
            if (candidates == 1)
                renames.insert(from, match);
        }
        return renames;
    }

    // Pairs the source and target keys of one signature group (as many on each side). A source key whose
    // trailing components (two or more: "0.norm1.bias") name exactly one of the target keys goes with it, so
    // that a module moved within its parent (registered later after a rename) does not shift the others;
    // the rest pair up in module-tree order.
    static void pairGroup(const QStringList& sources, const QStringList& targets, const QHash<QString, QString>& leafRenames,
                          QVector<std::pair<QString, QString>>& pairs)
    {
        QHash<QString, QVector<int>> bySuffix;
        for (int j = 0; j < targets.size(); ++j) {
            const QStringList parts = targets.at(j).split(QLatin1Char('.'));
            for (qsizetype k = 2; k <= parts.size(); ++k)
                bySuffix[parts.mid(parts.size() - k).join(QLatin1Char('.'))] << j;
        }
        QVector<int> partner(sources.size(), -1);
        QVector<bool> taken(targets.size(), false);
        for (int i = 0; i < sources.size(); ++i) {
            QStringList parts = sources.at(i).split(QLatin1Char('.'));
            parts.last() = leafRenames.value(parts.last(), parts.last());
            for (qsizetype k = parts.size(); k >= 2; --k) {
                const auto it = bySuffix.constFind(parts.mid(parts.size() - k).join(QLatin1Char('.')));
                if (it == bySuffix.constEnd())
                    continue;
                int only = -1;
                int free = 0;
                for (int j : *it) {
                    if (!taken[j]) {
                        only = j;
                        ++free;
                    }
                }
                if (free == 1) {
                    partner[i] = only;
                    taken[only] = true;
                }
                if (free >= 1)
                    break; // a shorter suffix only matches more keys
            }
        }
        int next = 0;
        for (int i = 0; i < sources.size(); ++i) {
            if (partner[i] < 0) {
                while (taken[next])
                    ++next;
                partner[i] = next;
                taken[next] = true;
            }
            pairs.push_back({sources.at(i), targets.at(partner[i])});
        }
    }

    void suggestStructuralRenames()
    {
        if (!m_current.result || m_current.result->unexpected.isEmpty() || m_current.result->missing.isEmpty())
            return;
        const QSet<QString> unexpected(m_current.result->unexpected.cbegin(), m_current.result->unexpected.cend());
        const QHash<QString, QString> leafRenames = learnLeafRenames(unexpected);
        // dtype is not part of it: load_state_dict casts on copy, and an fp16 checkpoint of an fp32 model is
        // the common case. Source leaves are read under the target's name where a leaf rename was learned.
        auto signature = [&](const QString& key, const PyTensor* t, bool fromSource) {
            QString s = leafOf(key);
            if (fromSource)
                s = leafRenames.value(s, s);
            for (qint64 n : t->shape)
                s += QLatin1Char('|') + QString::number(n);
            return s;
        };
        // Ordered sequences of (leaf, shape) of both sides' unmatched keys, grouped by that signature:
        // a signature seen as often on both sides pairs up in module-tree order.
        std::map<QString, std::pair<QStringList, QStringList>> groups;
        for (const StateDictEntry& e : m_current.repaired->view.entries) {
            if (unexpected.contains(e.key))
                groups[signature(e.key, e.tensor, true)].first << e.key;
        }
        for (const QString& key : m_current.result->missing) {
            if (const PyTensor* t = m_targetTensors.value(key))
                groups[signature(key, t, false)].second << key;
        }
        QVector<std::pair<QString, QString>> pairs;
        int ambiguous = 0;
        for (const auto& [sig, sides] : groups) {
            if (sides.first.size() == sides.second.size()) {
                pairGroup(sides.first, sides.second, leafRenames, pairs);
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
            a.last() = leafRenames.value(a.last(), a.last()); // the leaf rules run first
            while (!a.isEmpty() && !b.isEmpty() && a.last() == b.last()) {
                a.removeLast();
                b.removeLast();
            }
            const QString hs = a.join(QLatin1Char('.'));
            const QString ht = b.join(QLatin1Char('.'));
            if (hs.isEmpty() && ht.isEmpty())
                continue; // the leaf rename alone makes this key meet
            if (hs.isEmpty() || ht.isEmpty() || (heads.contains(hs) && heads.value(hs) != ht)) {
                consistent = false;
                break;
            }
            heads.insert(hs, ht);
        }
        // Leaf renames come first in the plan: `\.gamma$` -> `.weight` wherever the module lives.
        QVector<RepairRule> leafRules;
        for (auto it = leafRenames.cbegin(); it != leafRenames.cend(); ++it)
            leafRules << RepairRule::rename(QLatin1String("(^|\\.)") + regexEscape(it.key()) + QLatin1Char('$'),
                                            QLatin1String("\\1") + it.value());
        std::sort(leafRules.begin(), leafRules.end(),
                  [](const RepairRule& x, const RepairRule& y) { return x.pattern < y.pattern; });
        QString leafReason;
        if (!leafRules.isEmpty()) {
            QStringList names;
            for (auto it = leafRenames.cbegin(); it != leafRenames.cend(); ++it)
                names << it.key() + QLatin1String(" -> ") + it.value();
            names.sort();
            leafReason = QLatin1String("; leaf names ") + names.join(QLatin1String(", ")) +
                         QLatin1String(" (every one sits where the target has the other, with its shape)");
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
            QVector<RepairRule> rules = leafRules;
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
            QString how = generalised && single.isEmpty() && generalised == 1
                                    ? QStringLiteral(", as one numbered module rename")
                                    : QStringLiteral(", as whole-module renames");
            if (heads.isEmpty())
                how = QString();
            if (tryAdd(rules, confidence, reason + how + leafReason, true))
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

    static QString leafOf(const QString& key) { return key.mid(key.lastIndexOf(QLatin1Char('.')) + 1); }

    static QString parentOf(const QString& key)
    {
        const qsizetype dot = key.lastIndexOf(QLatin1Char('.'));
        return dot < 0 ? QString() : key.left(dot);
    }

    // A new head, as fine-tuning makes one: what is left is one module of the source against one of the
    // model with the same leaves in other shapes (a 1000-class ImageNet `fc` against the model's 10-class
    // `head`), or size mismatches confined to the model's last module and to fewer outputs in the model. The
    // model keeps its own initialisation there (take_from_target): lossy, and said so. A model with more
    // outputs than the source (classes added) is left to resize slice_pad, which keeps the learned ones.
    void suggestNewHead()
    {
        if (!m_current.result)
            return;
        const DiffResult& r = *m_current.result;
        if (!r.unexpected.isEmpty() && !r.missing.isEmpty() && r.sizeMismatch.isEmpty()) {
            QSet<QString> sourceModules;
            QSet<QString> targetModules;
            for (const QString& k : r.unexpected)
                sourceModules.insert(parentOf(k));
            for (const QString& k : r.missing)
                targetModules.insert(parentOf(k));
            if (sourceModules.size() != 1 || targetModules.size() != 1)
                return;
            const QString u = *sourceModules.cbegin();
            const QString m = *targetModules.cbegin();
            if (u.isEmpty() || m.isEmpty())
                return;
            QMap<QString, QVector<qint64>> sourceLeaves; // leaf -> shape
            for (const StateDictEntry& e : m_current.repaired->view.entries) {
                if (parentOf(e.key) == u) {
                    if (!r.unexpected.contains(e.key) || !e.tensor)
                        return; // part of u already meets the model, or u holds extra state: not a head
                    sourceLeaves.insert(e.key.mid(u.size() + 1), e.tensor->shape);
                }
            }
            QMap<QString, QVector<qint64>> targetLeaves;
            for (const QString& k : r.missing) {
                const PyTensor* t = m_targetTensors.value(k);
                if (!t)
                    return;
                targetLeaves.insert(k.mid(m.size() + 1), t->shape);
            }
            if (sourceLeaves.isEmpty() || sourceLeaves.keys() != targetLeaves.keys())
                return;
            for (auto it = sourceLeaves.cbegin(); it != sourceLeaves.cend(); ++it) {
                if (it.value().size() != targetLeaves.value(it.key()).size())
                    return;
            }
            RepairRule take;
            take.op = RepairRule::Op::TakeFromTarget;
            take.pattern = QLatin1Char('^') + regexEscape(m) + QLatin1String("\\.");
            const QString shown = sourceLeaves.contains(QStringLiteral("weight")) ? QStringLiteral("weight") : sourceLeaves.firstKey();
            const QString shapes = shown + QLatin1Char(' ') + shapeText(sourceLeaves.value(shown)) + QLatin1String(" -> ") +
                                   shapeText(targetLeaves.value(shown));
            tryAdd({RepairRule::rename(QLatin1Char('^') + regexEscape(u) + QLatin1String("\\."), m + QLatin1Char('.')), take},
                   0.6,
                   QLatin1String("a new head: the model's \"") + m + QLatin1String("\" replaces the source's \"") + u +
                       QLatin1String("\" (") + shapes + QLatin1String("); it keeps the model's initialisation and the "
                                                                "source's head is not used (lossy)"),
                   false);
            return;
        }
        if (r.sizeMismatch.isEmpty() || m_target.entries.isEmpty())
            return;
        QSet<QString> modules;
        bool outputDimOnly = true;
        for (const ShapeMismatch& mm : r.sizeMismatch) {
            modules.insert(parentOf(mm.key));
            outputDimOnly = outputDimOnly && mm.sourceShape.size() == mm.targetShape.size() && !mm.sourceShape.isEmpty() &&
                            mm.sourceShape.mid(1) == mm.targetShape.mid(1) && mm.targetShape.first() < mm.sourceShape.first();
        }
        const QString head = parentOf(m_target.entries.last().key);
        if (modules.size() != 1 || *modules.cbegin() != head || head.isEmpty() || !outputDimOnly)
            return;
        const ShapeMismatch& first = r.sizeMismatch.first();
        RepairRule take;
        take.op = RepairRule::Op::TakeFromTarget;
        take.pattern = QLatin1Char('^') + regexEscape(head) + QLatin1String("\\.");
        tryAdd({take}, 0.6,
               QLatin1String("a new head: \"") + head + QLatin1String("\" has ") + QString::number(first.targetShape.first()) +
                   QLatin1String(" outputs in the model, ") + QString::number(first.sourceShape.first()) +
                   QLatin1String(" in the source; it keeps the model's initialisation (lossy; resize slice_pad would "
                                 "keep the source's first rows instead)"),
               false);
    }

    void suggestShapeRepairs()
    {
        if (!m_current.result)
            return;
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
    bool m_prefixesFirst;
    QHash<QString, const PyTensor*> m_targetTensors; // the target's tensors by key, for every step
    RepairPlan m_plan;
    Evaluation m_current;
    QVector<Suggestion> m_suggestions;
};

} // namespace

QVector<Suggestion> suggest(const StateDict& source, const StateDict& target, const TargetModel& model)
{
    // Two orders compete. Wrapper prefixes first suits DataParallel or Lightning keys; structure first suits
    // renamed modules, where a prefix would only make a few keys meet by accident (adding "stage1.0." to a
    // renamed ResNet's conv1). The verdict decides: fewer problems left, then fewer rules.
    Suggester prefixesFirst(source, target, model, true);
    Suggester structureFirst(source, target, model, false);
    QVector<Suggestion> a = prefixesFirst.run();
    QVector<Suggestion> b = structureFirst.run();
    if (structureFirst.problems() < prefixesFirst.problems() ||
        (structureFirst.problems() == prefixesFirst.problems() && structureFirst.ruleCount() < prefixesFirst.ruleCount()))
        return b;
    return a;
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
