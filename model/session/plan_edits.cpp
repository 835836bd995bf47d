#include "plan_edits.h"

#include "checkpoint/state_dict.h"
#include "diff/diff_result.h"
#include "session/diff_tree_model.h"

#include <QRegularExpression>

namespace statescope {

namespace {

void addModules(const QString& key, QSet<QString>& modules, QStringList* ordered)
{
    for (qsizetype dot = key.indexOf(QLatin1Char('.')); dot >= 0; dot = key.indexOf(QLatin1Char('.'), dot + 1)) {
        const QString module = key.left(dot);
        if (!modules.contains(module)) {
            modules.insert(module);
            if (ordered)
                ordered->push_back(module);
        }
    }
}

const QLatin1String kNumBatchesTracked("num_batches_tracked");

} // namespace

DiffSides::DiffSides(const DiffSnapshot& snapshot)
{
    for (const StateDictEntry& e : snapshot.sourceDict.entries) {
        m_source.insert(e.key, e.tensor);
        addModules(e.key, m_sourceModules, nullptr);
    }
    for (const StateDictEntry& e : snapshot.targetDict.entries) {
        if (!m_target.contains(e.key))
            m_targetKeys.push_back(e.key);
        m_target.insert(e.key, e.tensor);
        addModules(e.key, m_targetModules, &m_targetModuleList);
    }
    if (snapshot.verdict) {
        for (const QString& key : snapshot.verdict->missing)
            m_missingNumBatchesTracked = m_missingNumBatchesTracked || key.endsWith(kNumBatchesTracked);
    }
}

bool DiffSides::hasSource(const QString& path, bool isModule) const
{
    return isModule ? sourceHasModule(path) : m_source.contains(path);
}

bool DiffSides::hasTarget(const QString& path, bool isModule) const
{
    return isModule ? targetHasModule(path) : m_target.contains(path);
}

QString literalPattern(const QString& text)
{
    // QRegularExpression::escape escapes every non-word character; Python's re reads those escapes the same.
    return QRegularExpression::escape(text);
}

QString rowPattern(const QString& path, bool isModule)
{
    return QLatin1Char('^') + literalPattern(path) + (isModule ? QStringLiteral("\\.") : QStringLiteral("$"));
}

QString leadingModulePrefix(const QString& path)
{
    const qsizetype dot = path.indexOf(QLatin1Char('.'));
    return dot < 0 ? QString() : path.left(dot + 1);
}

RepairPlan planWithKeyMapped(const RepairPlan& plan, const QString& sourceKey, const QString& currentKey,
                             const QString& targetKey)
{
    for (qsizetype i = plan.rules.size() - 1; i >= 0; --i) {
        const RepairRule& rule = plan.rules.at(i);
        if (!rule.enabled || !rule.changesKeys())
            continue;
        // The last key rule: only a map of this very key is re-pointed.
        if (rule.op == RepairRule::Op::Map && rule.from == sourceKey && rule.to == currentKey) {
            if (targetKey == sourceKey)
                return plan.withoutRule(int(i)); // mapped back onto its own name
            return plan.withRuleReplaced(int(i), RepairRule::map(sourceKey, targetKey));
        }
        break;
    }
    return plan.withRule(RepairRule::map(currentKey, targetKey));
}

RepairPlan planWithModuleMapped(const RepairPlan& plan, const QString& fromModule, const QString& toModule)
{
    // A backslash in a replacement template is an escape in Python's re.sub: double it.
    QString replace = toModule + QLatin1Char('.');
    replace.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    return plan.withRule(RepairRule::rename(rowPattern(fromModule, true), replace));
}

} // namespace statescope
