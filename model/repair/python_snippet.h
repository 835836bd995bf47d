#pragma once

#include <QString>

namespace statescope {

struct RepairPlan;

// A self-contained Python function (imports torch, re and collections only)
//     fix_state_dict(state_dict, target_state_dict=None) -> OrderedDict
// that does what applyPlan does, in the same order and with the same errors: key rules on every key and on
// the _metadata module prefixes, tensor rules (cast, transpose, resize, take_from_target) and
// fill_num_batches_tracked. Rules that read the target raise NotImplementedError when target_state_dict
// (the model's state_dict()) is not given.
QString pythonFixFunction(const RepairPlan& plan);

// A Python str literal for any text.
QString pythonStringLiteral(const QString& text);

} // namespace statescope
