#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QVector>

namespace statescope {

// One rule of a repair plan (CLI.md "Rules file"). A plain value: the GUI's undo stack keeps old plans.
struct RepairRule
{
    enum class Op {
        StripPrefix,           // prefix
        AddPrefix,             // prefix, pattern (optional: only keys matching it)
        Rename,                // pattern, replace (re.sub semantics, \1 and \g<name> backrefs)
        Map,                   // from, to (one exact key)
        Drop,                  // pattern
        Cast,                  // pattern, dtype (a dtype name or "target")
        Transpose,             // pattern (2-D tensors)
        TakeFromTarget,        // pattern
        FillNumBatchesTracked, // no parameters
        Resize,                // pattern, mode, prefixTokens (interpolate)
    };
    enum class ResizeMode { SlicePad, Interpolate };

    Op op = Op::StripPrefix;
    bool enabled = true;
    QString prefix;
    QString pattern; // null = absent (add_prefix without pattern)
    QString replace;
    QString from;
    QString to;
    QString dtype;
    ResizeMode mode = ResizeMode::SlicePad;
    int prefixTokens = 0;

    // Rules that change keys (applied to _metadata prefixes too); the others change tensors.
    bool changesKeys() const
    {
        return op == Op::StripPrefix || op == Op::AddPrefix || op == Op::Rename || op == Op::Map || op == Op::Drop;
    }
    // take_from_target, cast to "target", resize and fill_num_batches_tracked read the target.
    bool needsTarget() const;
    // Keeps every value bit for bit (what `fix --auto` is allowed to apply): prefixes, renames, maps, fill.
    bool isLossless() const;
    bool operator==(const RepairRule& other) const;
    bool operator!=(const RepairRule& other) const { return !(*this == other); }

    static RepairRule stripPrefix(const QString& prefix);
    static RepairRule addPrefix(const QString& prefix, const QString& pattern = QString());
    static RepairRule rename(const QString& pattern, const QString& replace);
    static RepairRule map(const QString& from, const QString& to);
    static RepairRule fillNumBatchesTracked();
};

QString repairOpName(RepairRule::Op op);

// An ordered list of rules and the state dict they apply to. Edits return a new plan.
struct RepairPlan
{
    QString sourceDict; // null = not chosen (the CLI's default candidate)
    QVector<RepairRule> rules;

    bool needsTarget() const;
    bool isLossless() const; // every enabled rule is lossless
    bool operator==(const RepairPlan& other) const
    {
        return sourceDict == other.sourceDict && sourceDict.isNull() == other.sourceDict.isNull() &&
               rules == other.rules;
    }
    bool operator!=(const RepairPlan& other) const { return !(*this == other); }

    RepairPlan withRule(const RepairRule& rule) const;             // appended
    RepairPlan withRuleAt(int index, const RepairRule& rule) const; // inserted before index
    RepairPlan withoutRule(int index) const;
    RepairPlan withRuleReplaced(int index, const RepairRule& rule) const;
    RepairPlan withRuleEnabled(int index, bool enabled) const;
    RepairPlan withRuleMoved(int from, int to) const;
};

// The rules JSON of CLI.md. `origin` names the file in error messages. Unknown fields (a suggestion's
// confidence and reason) are ignored. Throws FormatError naming the rule index and field.
RepairPlan parseRepairPlan(const QByteArray& json, const QString& origin);
RepairPlan readRepairPlan(const QString& path);
QJsonObject repairRuleJson(const RepairRule& rule);
QJsonObject repairPlanJson(const RepairPlan& plan);
// Writes the plan atomically (QSaveFile); throws FormatError when it cannot.
void writeRepairPlan(const RepairPlan& plan, const QString& path);

} // namespace statescope
