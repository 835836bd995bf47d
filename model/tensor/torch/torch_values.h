#pragma once

#include "tensor/tensor_values.h"

#include <QString>

#include <atomic>

// The value arithmetic of the LibTorch engine (torch_values.cpp). Free of LibTorch types, like every header of
// the plugin, so the plugin class can forward to it without pulling LibTorch into moc.
namespace statescope::torchvalues {

EngineStatus compare(const TensorView& a, const TensorView& b, const ValueOptions& options, ValueSums* out,
                     const std::atomic<bool>* cancel, const ByteProgress& progress, QString* error);
EngineStatus moments(const TensorView& view, const ValueOptions& options, MomentSums* out,
                     const std::atomic<bool>* cancel, const ByteProgress& progress, QString* error);
EngineStatus histogram(const TensorView& view, int bins, double lo, double hi, const ValueOptions& options,
                       QVector<qint64>* counts, const std::atomic<bool>* cancel, const ByteProgress& progress,
                       QString* error);

} // namespace statescope::torchvalues
