#pragma once

#include "diff/diff_result.h"
#include "diff/load_rules.h"

#include <QString>

#include <memory>

namespace statescope {

struct StateDict;
class TargetModel;

// What `target.load_state_dict(source, strict=True)` does in torch (2.13 by default, or 1.13: `rules`, see
// load_rules.h for where they differ), computed from keys,
// shapes and dtypes alone (FORMATS.md section 6, torch/nn/modules/module.py and batchnorm.py):
// - missing: the target's parameters and buffers absent from the source, in the pre-order walk;
// - unexpected: module by module in that walk, the source keys (in source order) below the module's prefix
//   that the module's check refuses (load_rules.h); an exact "<prefix>_extra_state" the module does not take
//   comes first at its module;
// - size mismatches in the walk's order, with torch's rule that a 0-dim parameter takes source[0] of a 1-D
//   tensor (1.13: any, an empty one makes torch raise IndexError mid-walk; 2.13: a one-element one);
// - BatchNorm-like modules fill a missing num_batches_tracked when the source's _metadata has no version
//   (or no _metadata at all) or a version below 2 for that module;
// - dtypes are cast by copy_, except that a quantized tensor cannot be copied into a float parameter.
// `source` is the (possibly repaired) source state dict: its entries in order and its _metadata. When a key
// occurs twice, the first position and the last tensor count, as in OrderedDict(pairs).
std::shared_ptr<const DiffResult> computeLoadVerdict(const StateDict& source, const TargetModel& target,
                                                     const QString& modelName,
                                                     LoadRules rules = LoadRules::Current);

} // namespace statescope
