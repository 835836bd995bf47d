#pragma once

#include "repair/repair_plan.h"

#include <QString>
#include <QVector>

namespace statescope {

struct StateDict;
class TargetModel;

// One proposed repair: its rules (applied after the suggestions before it), why, and how sure we are.
struct Suggestion
{
    QVector<RepairRule> rules;
    double confidence = 0; // 0..1: the share of the keys involved that the rules make meet
    QString reason;
    bool lossless = false; // keys only, values untouched: `fix --auto` may apply it
};

// Suggestions in the order they are meant to be applied, each checked by re-running the load verdict:
// a prefix to strip or add, one-to-one renames of the keys still unmatched by structure (leaf name, shape,
// dtype in module-tree order) generalised into whole-module regex renames where a consistent module
// mapping exists (else `map` rules), fill_num_batches_tracked where torch would report them missing, and
// (lossy, never applied by --auto) shape repairs for the remaining size mismatches.
QVector<Suggestion> suggest(const StateDict& source, const StateDict& target, const TargetModel& model);

// The suggestions combined into one plan for `source` (its path becomes source_dict); with losslessOnly,
// only what `fix --auto` applies.
RepairPlan suggestedPlan(const QVector<Suggestion>& suggestions, const StateDict& source, bool losslessOnly);
RepairPlan suggestedPlan(const StateDict& source, const StateDict& target, const TargetModel& model,
                         bool losslessOnly);

} // namespace statescope
