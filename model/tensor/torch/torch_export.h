#pragma once

#include "tensor/tensor_export.h"
#include "tensor/tensor_values.h"

namespace statescope::torchexport {

// See TensorEngine::computeTensor.
EngineStatus computeTensor(const TensorJob& job, QByteArray* out, QString* error);

} // namespace statescope::torchexport
