#pragma once

#include "tensor/tensor_export.h"
#include "tensor/tensor_values.h"

namespace statescope::torchexport {

// See TensorEngine::openTorchArchive and computeTensor.
std::unique_ptr<TorchRecordWriter> openTorchArchive(const ByteSink& sink, QString* error);
EngineStatus computeTensor(const TensorJob& job, QByteArray* out, QString* error);

} // namespace statescope::torchexport
