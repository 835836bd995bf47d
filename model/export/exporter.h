#pragma once

#include "export/export_options.h"

#include <QString>

#include <atomic>

namespace statescope {

class Checkpoint;
struct StateDict;
class RepairedStateDict;

// Writes the repaired state dict of `source` to `out` (CLI.md "fix output"). `selected` is the source state dict
// the plan was built on: in torch format the source's container is written around the repaired dict unless
// options.stateDictOnly. `target` is needed when recipes take tensors from it (take_from_target, slice_pad
// padding). Tensor bytes stream from the source mapping; the output appears atomically, and on failure or
// cancellation nothing is left behind. Throws FormatError with a one-line message naming the file.
ExportReport exportCheckpoint(const Checkpoint& source, const StateDict& selected, const RepairedStateDict& repaired,
                              const Checkpoint* target, const QString& out, const ExportOptions& options,
                              const ExportProgress& progress = {}, const std::atomic<bool>* cancel = nullptr);

} // namespace statescope
