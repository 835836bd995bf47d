#pragma once

#include "export/export_options.h"

#include <atomic>

namespace statescope {

class Checkpoint;
class OutputPlan;
struct StateDict;

// torch.save's zip layout (protocol-2 data.pkl, data/<key> per storage, version) through LibTorch's
// PyTorchStreamWriter. `root` null: the repaired dict alone; else the source's root with `selected` replaced.
ExportReport writeTorchArchive(const Checkpoint& source, const StateDict& selected, const OutputPlan& plan,
                               const QString& out, bool stateDictOnly, const ExportProgress& progress,
                               const std::atomic<bool>* cancel);

} // namespace statescope
