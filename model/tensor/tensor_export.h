#pragma once

#include "tensor/tensor_values.h"

#include <QByteArray>
#include <QString>
#include <QVector>

#include <optional>

namespace statescope {

// One output tensor computed from the files (TensorRecipe in model/repair, with the bytes located):
// take -> transpose -> resize -> cast, written contiguous, little-endian.
struct TensorJob
{
    enum class Resize { None, SlicePad, Interpolate };
    std::optional<TensorView> input; // empty: torch.zeros(shape, dtype=int64) (fill_num_batches_tracked)
    bool transpose = false;
    Resize resize = Resize::None;
    QVector<qint64> resizeTo;
    std::optional<TensorView> padFrom; // SlicePad: where the non-overlapping part comes from (else zeros)
    int prefixTokens = 0;              // Interpolate: leading rows kept as they are
    DType castTo = DType::Unknown;     // Unknown: keep
    DType outDtype = DType::Unknown;   // what the plan promised, checked against the result
    QVector<qint64> outShape;
};

} // namespace statescope
