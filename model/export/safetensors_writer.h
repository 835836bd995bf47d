#pragma once

#include "export/export_options.h"

#include <atomic>

namespace statescope {

class Checkpoint;
class OutputPlan;

// The safetensors layout: 8-byte little-endian header size, JSON header (tensors sorted by key, offsets in
// that order, `__metadata__` from the source plus "format": "pt") padded with spaces to a multiple of 8, then
// each tensor's contiguous little-endian bytes. Shared storages are written once per key (the format has no
// sharing). Quantized tensors have no safetensors dtype and are refused.
ExportReport writeSafeTensors(const Checkpoint& source, const OutputPlan& plan, const QString& out,
                              const ExportProgress& progress, const std::atomic<bool>* cancel);

} // namespace statescope
