#pragma once

#include "checkpoint/checkpoint.h"
#include "tensor/tensor_export.h"
#include "tensor/tensor_values.h"

#include <QString>
#include <QObject>

#include <atomic>
#include <optional>

namespace statescope {

// What StateScope asks of LibTorch. The implementation lives in a plugin (model/tensor/torch/) so that a
// process opening ordinary checkpoints never pays LibTorch's start-up cost (DESIGN.md "LibTorch"). Only Qt
// and standard types cross this boundary, and nothing may throw across it: every call reports failure
// through `error` instead.
class TensorEngine
{
public:
    virtual ~TensorEngine() = default;

    // The module tree and expected state dict of a TorchScript archive, as torch::jit::load sees them.
    // Returns std::nullopt and sets *error (one line, naming the file) when LibTorch cannot load it.
    virtual std::optional<ScriptModuleInfo> describeTorchScript(const QString& path, QString* error) const = 0;

    // Value arithmetic on tensors read in place (see tensor_values.h for what each number means). All three
    // stream the views in chunks of options.chunkBytes, check *cancel (may be null) between chunks, report
    // the bytes read through `progress` (may be empty) and release finished pages of file-mapped views.
    // They are safe to call from several threads at once; each call uses one thread (LibTorch's intra-op
    // pool is kept at 1 on calling threads, the host parallelises across tensors and slices).
    // On Failed, *error says why in one line; on Cancelled, *out holds the chunks done so far.

    // a and b must have the same shape (dtypes may differ); b is the target.
    virtual EngineStatus compare(const TensorView& a, const TensorView& b, const ValueOptions& options, ValueSums* out,
                                 const std::atomic<bool>* cancel, const ByteProgress& progress, QString* error) const = 0;
    virtual EngineStatus moments(const TensorView& view, const ValueOptions& options, MomentSums* out,
                                 const std::atomic<bool>* cancel, const ByteProgress& progress, QString* error) const = 0;
    // Adds torch.histc(finite values as float64, bins, lo, hi) to *counts (resized to bins when empty).
    virtual EngineStatus histogram(const TensorView& view, int bins, double lo, double hi, const ValueOptions& options,
                                   QVector<qint64>* counts, const std::atomic<bool>* cancel, const ByteProgress& progress,
                                   QString* error) const = 0;

    // Export (model/export; the zip container itself is written there, export/zip_writer.h). Runs one recipe; *out receives the contiguous little-endian bytes of a tensor of job.outDtype and
    // job.outShape. Failed + *error (one line) when the recipe cannot be applied.
    virtual EngineStatus computeTensor(const TensorJob& job, QByteArray* out, QString* error) const = 0;
};

} // namespace statescope

// Bump the version when the interface changes: an old plugin then fails to load with a clear message
// instead of calling through a stale vtable.
#define StateScopeTensorEngine_iid "org.statescope.TensorEngine/4"
Q_DECLARE_INTERFACE(statescope::TensorEngine, StateScopeTensorEngine_iid)
