#include "apply_plan.h"

#include "checkpoint/state_dict.h"
#include "formats/format_error.h"
#include "repair/key_rules.h"
#include "repair/repair_plan.h"

#include <QHash>

#include <cmath>

namespace statescope {

namespace {

using Op = RepairRule::Op;

QString ruleName(const CompiledRule& c)
{
    return QLatin1String("rule ") + QString::number(c.index) + QLatin1String(" (") + repairOpName(c.rule->op) +
           QLatin1Char(')');
}

qint64 squareRoot(qint64 n)
{
    if (n < 0)
        return -1;
    auto r = qint64(std::llround(std::sqrt(double(n))));
    while (r * r > n)
        --r;
    while ((r + 1) * (r + 1) <= n)
        ++r;
    return r * r == n ? r : -1;
}

class Applier
{
public:
    Applier(const RepairPlan& plan, const StateDict& source, const StateDict* target)
        : m_rules(compileRules(plan)), m_source(source), m_target(target)
    {
        if (target) {
            for (const StateDictEntry& e : target->entries)
                m_targetTensors.insert(e.key, e.tensor); // the last of a repeated key, as OrderedDict(pairs)
        }
        for (const CompiledRule& c : m_rules) {
            if (c.rule->changesKeys() && c.rule->op != Op::Map)
                m_moduleRules.push_back(c); // a map names one tensor key, never a module
        }
    }

    std::shared_ptr<const RepairedStateDict> run()
    {
        auto repaired = std::make_shared<RepairedStateDict>();
        repaired->view.path = m_source.path;
        repaired->view.object = m_source.object;
        QVector<RepairedEntry> entries;
        QVector<RepairedExtraState> extras; // position: entries before it
        QHash<QString, QString> sourceOf; // output key -> source key
        auto claim = [&sourceOf](const QString& key, const QString& sourceKey) {
            const auto previous = sourceOf.constFind(key);
            if (previous != sourceOf.constEnd())
                throw FormatError(QLatin1String("source keys \"") + previous.value() + QLatin1String("\" and \"") +
                                  sourceKey + QLatin1String("\" both become \"") + key +
                                  QLatin1String("\" under the rules"));
            sourceOf.insert(key, sourceKey);
        };
        int nextExtra = 0;
        auto takeExtrasBefore = [&](int position) {
            // Non-tensor extra states only see key rules (a tensor rule has nothing to work on).
            for (; nextExtra < m_source.extraStates.size() && m_source.extraStates[nextExtra].position <= position; ++nextExtra) {
                const StateDictExtraState& x = m_source.extraStates[nextExtra];
                QString key = x.key;
                if (!renameByKeyRules(key)) {
                    repaired->dropped << x.key;
                    continue;
                }
                claim(key, x.key);
                extras.push_back({key, x.key, x.value, int(entries.size())});
            }
        };
        for (int i = 0; i < m_source.entries.size(); ++i) {
            takeExtrasBefore(i);
            const StateDictEntry& e = m_source.entries[i];
            RepairedEntry entry;
            entry.sourceKey = e.key;
            if (!keyAndRecipe(e, entry)) {
                repaired->dropped << e.key;
                continue;
            }
            claim(entry.key, e.key);
            entries.push_back(std::move(entry));
        }
        takeExtrasBefore(int(m_source.entries.size()));
        for (const CompiledRule& c : m_rules) {
            if (c.rule->op == Op::FillNumBatchesTracked)
                fillNumBatchesTracked(c, entries, extras, sourceOf);
        }
        int extra = 0;
        for (int i = 0; i <= entries.size(); ++i) {
            for (; extra < extras.size() && extras[extra].position <= i; ++extra)
                repaired->appendExtraState(extras[extra].key, extras[extra].sourceKey, extras[extra].value);
            if (i < entries.size())
                repaired->append(std::move(entries[i]));
        }
        repaired->view.metadata = remapMetadata(repaired->arena);
        return repaired;
    }

private:
    const PyTensor* targetTensor(const CompiledRule& c, const QString& key) const
    {
        if (!m_target)
            throw FormatError(ruleName(c) + QLatin1String(" needs the target model's tensors, and none was given"));
        const PyTensor* t = m_targetTensors.value(key);
        if (!t)
            throw FormatError(ruleName(c) + QLatin1String(": the target has no key \"") + key +
                              QLatin1String("\" to take from"));
        return t;
    }

    // The key rules in order; false when a drop rule removes the key.
    bool renameByKeyRules(QString& key) const
    {
        for (const CompiledRule& c : m_rules) {
            if (c.rule->changesKeys() && !applyKeyRule(c, key))
                return false;
        }
        return true;
    }

    // False when a drop rule removes the key.
    bool keyAndRecipe(const StateDictEntry& e, RepairedEntry& entry) const
    {
        // Key rules run in order; a tensor rule matches the key as the rules before it have made it.
        QString key = e.key;
        QVector<const CompiledRule*> tensorRules;
        for (const CompiledRule& c : m_rules) {
            if (c.rule->changesKeys()) {
                if (!applyKeyRule(c, key))
                    return false;
            } else if (c.rule->op != Op::FillNumBatchesTracked && ruleMatches(c, key)) {
                tensorRules.push_back(&c);
            }
        }
        entry.key = key;
        TensorRecipe& recipe = entry.recipe;
        recipe.tensor = e.tensor;
        recipe.dtype = e.tensor->dtype;
        recipe.shape = e.tensor->shape;
        // The recipe's fixed order is take -> transpose -> resize -> cast, whatever the rules' order.
        for (const CompiledRule* c : tensorRules) {
            if (c->rule->op == Op::TakeFromTarget) {
                const PyTensor* t = targetTensor(*c, key);
                recipe.origin = TensorRecipe::Origin::Target;
                recipe.tensor = t;
                recipe.dtype = t->dtype;
                recipe.shape = t->shape;
            }
        }
        for (const CompiledRule* c : tensorRules) {
            if (c->rule->op == Op::Transpose && recipe.origin == TensorRecipe::Origin::Source) {
                if (recipe.shape.size() != 2)
                    throw FormatError(ruleName(*c) + QLatin1String(": \"") + key + QLatin1String("\" has shape ") +
                                      shapeText(recipe.shape) + QLatin1String(", transpose takes 2-D tensors only"));
                recipe.transpose = !recipe.transpose; // two transposes cancel
            }
        }
        if (recipe.transpose)
            std::swap(recipe.shape[0], recipe.shape[1]);
        for (const CompiledRule* c : tensorRules) {
            if (c->rule->op == Op::Resize && recipe.origin == TensorRecipe::Origin::Source)
                resize(*c, key, recipe);
        }
        for (const CompiledRule* c : tensorRules) {
            if (c->rule->op != Op::Cast)
                continue;
            const DType to = c->rule->dtype == QLatin1String("target") ? targetTensor(*c, key)->dtype
                                                                        : dtypeFromName(c->rule->dtype);
            recipe.castTo = to;
        }
        if (recipe.castTo != DType::Unknown) {
            // A cast to the dtype a tensor already has is no cast: it stays a byte-for-byte copy.
            if (recipe.castTo == recipe.dtype)
                recipe.castTo = DType::Unknown;
            else
                recipe.dtype = recipe.castTo;
        }
        return true;
    }

    void resize(const CompiledRule& c, const QString& key, TensorRecipe& recipe) const
    {
        const PyTensor* t = targetTensor(c, key);
        const QVector<qint64>& from = recipe.shape;
        const QVector<qint64>& to = t->shape;
        if (from == to)
            return; // nothing to resize: the tensor stays as it is
        if (from.size() != to.size())
            throw FormatError(ruleName(c) + QLatin1String(": \"") + key + QLatin1String("\" has shape ") +
                              shapeText(from) + QLatin1String(" but the target's is ") + shapeText(to) +
                              QLatin1String("; resize keeps the number of dimensions"));
        if (c.rule->mode == RepairRule::ResizeMode::Interpolate) {
            // timm's pos_embed: [..., prefix + grid*grid, C]; only the token dimension changes.
            const int dims = int(from.size());
            if (dims < 2 || from.mid(0, dims - 2) != to.mid(0, dims - 2) || from.last() != to.last())
                throw FormatError(ruleName(c) + QLatin1String(": \"") + key + QLatin1String("\" ") + shapeText(from) +
                                  QLatin1String(" -> ") + shapeText(to) +
                                  QLatin1String(": interpolate changes only the token dimension (second to last)"));
            const qint64 p = c.rule->prefixTokens;
            const qint64 a = from.at(dims - 2) - p;
            const qint64 b = to.at(dims - 2) - p;
            if (squareRoot(a) <= 0 || squareRoot(b) <= 0)
                throw FormatError(ruleName(c) + QLatin1String(": \"") + key + QLatin1String("\" ") + shapeText(from) +
                                  QLatin1String(" -> ") + shapeText(to) + QLatin1String(": with prefix_tokens ") +
                                  QString::number(p) + QLatin1String(", ") + QString::number(a) +
                                  QLatin1String(" and ") + QString::number(b) +
                                  QLatin1String(" tokens must both be perfect squares (a square grid)"));
            recipe.resize = TensorRecipe::Resize::Interpolate;
            recipe.prefixTokens = int(p);
        } else {
            recipe.resize = TensorRecipe::Resize::SlicePad;
        }
        recipe.resizeTo = to;
        recipe.padFrom = t;
        recipe.shape = to;
    }

    void fillNumBatchesTracked(const CompiledRule& c, QVector<RepairedEntry>& entries,
                               QVector<RepairedExtraState>& extras, QHash<QString, QString>& sourceOf) const
    {
        if (!m_target)
            throw FormatError(ruleName(c) + QLatin1String(" needs the target model's keys, and none was given"));
        static const QString leaf = QStringLiteral("num_batches_tracked");
        for (const StateDictEntry& t : m_target->entries) {
            if (!t.key.endsWith(leaf) || sourceOf.contains(t.key))
                continue;
            const QString prefix = t.key.left(t.key.size() - leaf.size());
            if (!prefix.isEmpty() && !prefix.endsWith(QLatin1Char('.')))
                continue; // "my_num_batches_tracked" is someone else's buffer
            RepairedEntry added;
            added.key = t.key;
            added.recipe.origin = TensorRecipe::Origin::Zero;
            added.recipe.dtype = DType::Int64;
            // Right after the module's running_var; else after its last key; else at the end.
            qsizetype at = -1;
            for (qsizetype i = 0; i < entries.size(); ++i) {
                const QString& k = entries.at(i).key;
                if (k == prefix + QLatin1String("running_var")) {
                    at = i + 1;
                    break;
                }
                if (k.startsWith(prefix) && k.indexOf(QLatin1Char('.'), prefix.size()) < 0)
                    at = i + 1;
            }
            sourceOf.insert(added.key, QString());
            const qsizetype where = at < 0 ? entries.size() : at;
            entries.insert(where, std::move(added));
            // A module's extra state follows its buffers in torch's state_dict(): it moves behind the new one.
            for (RepairedExtraState& x : extras) {
                if (x.position >= where && !(at < 0 && x.position == where))
                    ++x.position;
            }
        }
    }

    const PyDict* remapMetadata(PyArena& arena) const
    {
        const PyDict* old = m_source.metadata;
        if (!old)
            return nullptr;
        auto* dict = arena.make<PyDict>();
        dict->className = old->className;
        dict->state = old->state;
        for (const auto& [key, value] : old->items) {
            const auto* name = key->as<PyString>();
            if (!name) {
                dict->items.push_back({key, value});
                continue;
            }
            const std::optional<QString> moved = metadataPrefix(name->value);
            if (!moved)
                continue;
            // Two prefixes meeting (DataParallel's "" and "module" after strip "module."): the later one wins
            // in the earlier place, as torch's consume_prefix_in_state_dict_if_present leaves it.
            const QString index = QLatin1String("s:") + *moved;
            const auto it = dict->keyIndex.constFind(index);
            PyObject* newKey = *moved == name->value ? key : arena.make<PyString>(*moved);
            if (it != dict->keyIndex.constEnd()) {
                dict->items[it.value()].second = value;
            } else {
                dict->keyIndex.insert(index, int(dict->items.size()));
                dict->items.push_back({newKey, value});
            }
        }
        return dict;
    }

    std::optional<QString> metadataPrefix(const QString& prefix) const
    {
        const std::optional<QString> moved =
            applyKeyRules(m_moduleRules, prefix.isEmpty() ? prefix : prefix + QLatin1Char('.'));
        if (!moved)
            return std::nullopt;
        return moved->endsWith(QLatin1Char('.')) ? moved->chopped(1) : *moved;
    }

    QVector<CompiledRule> m_rules;
    QVector<CompiledRule> m_moduleRules; // the key rules _metadata prefixes move with
    const StateDict& m_source;
    const StateDict* m_target;
    QHash<QString, const PyTensor*> m_targetTensors;
};

} // namespace

std::shared_ptr<const RepairedStateDict> applyPlan(const RepairPlan& plan, const StateDict& source,
                                                   const StateDict* target)
{
    return Applier(plan, source, target).run();
}

} // namespace statescope
