#pragma once

#include "repair/repair_plan.h"

#include <QRegularExpression>
#include <QString>
#include <QVector>

#include <optional>

namespace statescope {

// A rule with its regular expression compiled once (Python `re` syntax as PCRE reads it).
struct CompiledRule
{
    const RepairRule* rule = nullptr;
    int index = -1; // in the plan
    QRegularExpression regex;
};

// Compiles the enabled rules; throws FormatError naming the rule index for a bad pattern or template.
QVector<CompiledRule> compileRules(const RepairPlan& plan);

// re.search(pattern, key) is not None.
bool ruleMatches(const CompiledRule& rule, const QString& key);

// Python's re.sub(pattern, replace, text): every non-overlapping match replaced, the template's \1, \g<1>,
// \g<name>, \\, \n, \t escapes expanded as Python does. Throws FormatError for a group that does not exist.
QString pythonSub(const QRegularExpression& regex, const QString& replace, const QString& text);

// Runs one key rule (tensor rules leave the key alone); false when it is a drop rule that removes the key.
bool applyKeyRule(const CompiledRule& rule, QString& key);

// Runs the enabled key rules in order on one key; nullopt when a drop rule removes it.
std::optional<QString> applyKeyRules(const QVector<CompiledRule>& rules, const QString& key);

} // namespace statescope
