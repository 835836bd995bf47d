#pragma once

#include "export/export_options.h"

#include <atomic>

namespace statescope {

class Checkpoint;
class OutputPlan;
struct StateDict;

// torch.save's zip layout (protocol-2 data.pkl, byteorder, data/<key> per storage in torch.save's order,
// version) through ZipWriter. `stateDictOnly`: the repaired dict alone; else the source's root with `selected`
// replaced. Storages copied unchanged from a zip keep their CRC and are copied file to file in the kernel.
ExportReport writeTorchArchive(const Checkpoint& source, const StateDict& selected, const OutputPlan& plan,
                               const QString& out, bool stateDictOnly, bool forceZip64, const ExportProgress& progress,
                               const std::atomic<bool>* cancel);

} // namespace statescope
