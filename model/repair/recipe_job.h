#pragma once

#include "repair/repaired_state_dict.h"
#include "tensor/tensor_export.h"

#include <functional>

namespace statescope {

class Checkpoint;

// Locates a tensor's bytes in a checkpoint (the caller decides byte order and such).
using TensorViewOf = std::function<TensorView(const Checkpoint& checkpoint, const PyTensor& tensor, const QString& key)>;

// The tensor engine's job that computes a repaired entry's tensor from the files (take -> transpose -> resize
// -> cast). Export writes what it computes and Compare Values compares it: one builder, so what is compared
// is what gets written. `target` may be null when the plan takes nothing from it; throws FormatError when it
// does, or when the recipe names no tensor to read.
TensorJob recipeJob(const RepairedEntry& entry, const Checkpoint& source, const Checkpoint* target, const TensorViewOf& viewOf);

} // namespace statescope
