#pragma once

#include "repair/repaired_state_dict.h"

#include <memory>

namespace statescope {

struct RepairPlan;
struct StateDict;

// Runs a plan on a source state dict (CLI.md "Rules file"): the enabled key rules in order on every source
// key (and on every _metadata module prefix, so torch's BatchNorm rule sees the same versions), then the
// tensor rules as recipes. Output order is the source order; fill_num_batches_tracked puts each new
// `<module>.num_batches_tracked` right after that module's running_var, where torch's state_dict() has it.
// `target` (the target model's state dict) may be null unless a rule reads it (RepairPlan::needsTarget()).
// Throws FormatError naming the rule (index, op) and key: two source keys landing on one output key, a
// transpose of a non-2-D tensor, a key the target lacks, an interpolation grid that is not square, ...
std::shared_ptr<const RepairedStateDict> applyPlan(const RepairPlan& plan, const StateDict& source,
                                                   const StateDict* target);

} // namespace statescope
