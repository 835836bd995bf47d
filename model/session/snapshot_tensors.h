#pragma once

#include <QString>

namespace statescope {

struct DiffSnapshot;
class PyTensor;

// The tensor in the source FILE behind a row's (output) key: the one the repair plan reads. Null when the
// plan made the key up (fill_num_batches_tracked) or the source lacks it. Facts and statistics of the source
// side come from here: the plan's output tensors (resized, cast) exist only once exported.
const PyTensor* sourceFileTensor(const DiffSnapshot& snapshot, const QString& key);

// The target's tensor for a key, or null.
const PyTensor* targetTensor(const DiffSnapshot& snapshot, const QString& key);

} // namespace statescope
