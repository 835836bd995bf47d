#pragma once

#include "tensor/tensor_values.h"

#include <QByteArray>
#include <QString>
#include <QVector>

#include <functional>
#include <memory>
#include <optional>

namespace statescope {

// Writes the records of one torch archive (LibTorch's PyTorchStreamWriter: 64-byte aligned entries, the
// `version` record at the end). Bytes leave through the sink the host passed to openTorchArchive, so the host
// owns the file (temp name, fsync, rename). Nothing throws across the plugin boundary: false + *error.
class TorchRecordWriter
{
public:
    virtual ~TorchRecordWriter() = default;
    // `name` without the archive folder ("data.pkl", "data/3"). The data is read during the call only.
    virtual bool writeRecord(const QString& name, const void* data, qint64 size, QString* error) = 0;
    // Central directory and `version`; after a failed writeRecord the archive is abandoned, not finished.
    virtual bool finish(QString* error) = 0;
};

// Receives the archive's bytes in order; returns how many it stored (fewer means failure).
using ByteSink = std::function<qint64(const void* data, qint64 size)>;

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
