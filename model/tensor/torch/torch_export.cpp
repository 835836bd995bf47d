// LibTorch first: Qt's `slots`/`signals` macros would break its headers (the target also sets QT_NO_KEYWORDS).
#include <ATen/ATen.h>

#include "torch_dtype.h"
#include "torch_export.h"
#include "torch_message.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace statescope::torchexport {

namespace {

std::vector<int64_t> toStd(const QVector<qint64>& v)
{
    return std::vector<int64_t>(v.begin(), v.end());
}

at::ScalarType requireType(DType type)
{
    const auto scalar = scalarTypeOf(type, QuantizedAs::Unsupported);
    TORCH_CHECK(scalar.has_value(), "this dtype (quantized, or new in torch 2.x) cannot be transformed");
    return *scalar;
}

// An owned copy of the view in native byte order: the recipes below must not depend on the mapping staying
// resident, and big-endian files need swapping anyway.
at::Tensor materialise(const TensorView& view)
{
    const at::ScalarType type = requireType(view.dtype);
    at::Tensor storage = at::from_blob(const_cast<uchar*>(view.data), {view.storageBytes}, at::kByte);
    // The plugin links no statescope_model code, so sizes come from LibTorch.
    const int elementSize = int(c10::elementSize(type));
    at::Tensor typed;
    if (view.bigEndian && elementSize > 1) {
        at::Tensor bytes = storage.narrow(0, 0, view.storageBytes / elementSize * elementSize).clone();
        // Complex numbers swap per component.
        const int unit = c10::isComplexType(type) ? elementSize / 2 : elementSize;
        bytes = bytes.view({-1, unit}).flip({1}).contiguous().view({-1});
        typed = bytes.view(type);
    } else {
        typed = storage.narrow(0, 0, view.storageBytes / elementSize * elementSize).view(type);
    }
    return typed.as_strided(toStd(view.shape), toStd(view.stride), view.storageOffset).clone();
}

at::Tensor slicePad(const at::Tensor& input, const QVector<qint64>& to, const std::optional<TensorView>& padFrom)
{
    TORCH_CHECK(input.dim() == to.size(), "resize slice_pad: the tensor has ", input.dim(), " dimensions, the target ",
                to.size());
    at::Tensor out;
    if (padFrom) {
        out = materialise(*padFrom).to(input.scalar_type());
        TORCH_CHECK(out.sizes() == at::IntArrayRef(toStd(to)), "resize slice_pad: the padding tensor has shape ",
                    out.sizes(), ", expected ", at::IntArrayRef(toStd(to)));
    } else {
        out = at::zeros(toStd(to), input.options());
    }
    at::Tensor src = input;
    at::Tensor dst = out;
    for (int d = 0; d < input.dim(); ++d) {
        const int64_t n = std::min<int64_t>(input.size(d), to[d]);
        src = src.narrow(d, 0, n);
        dst = dst.narrow(d, 0, n);
    }
    dst.copy_(src);
    return out;
}

int64_t squareSide(int64_t n, const char* what)
{
    const auto side = int64_t(std::llround(std::sqrt(double(n))));
    TORCH_CHECK(side * side == n, "resize interpolate: ", what, " has ", n, " grid tokens, not a square");
    return side;
}

// timm's resample_abs_pos_embed: the rows after the prefix tokens form a square grid, resized bicubically
// (align_corners=False, no antialias) in float32, then cast back.
at::Tensor interpolate(const at::Tensor& input, const QVector<qint64>& to, int prefixTokens)
{
    TORCH_CHECK(input.dim() == 2 || input.dim() == 3, "resize interpolate: expected [N, C] or [1, N, C], got ",
                input.sizes());
    TORCH_CHECK(to.size() == input.dim(), "resize interpolate: target shape has another rank");
    const bool batched = input.dim() == 3;
    at::Tensor x = batched ? input : input.unsqueeze(0);
    TORCH_CHECK(x.size(0) == 1, "resize interpolate: batch dimension must be 1");
    const int64_t channels = x.size(2);
    TORCH_CHECK(to.last() == channels, "resize interpolate: channels differ (", channels, " vs ", to.last(), ")");
    const int64_t newTokens = to[to.size() - 2];
    TORCH_CHECK(prefixTokens >= 0 && prefixTokens <= x.size(1) && prefixTokens <= newTokens,
                "resize interpolate: prefix_tokens out of range");
    const int64_t oldSide = squareSide(x.size(1) - prefixTokens, "the source");
    const int64_t newSide = squareSide(newTokens - prefixTokens, "the target");
    const at::ScalarType original = x.scalar_type();
    at::Tensor prefix = x.narrow(1, 0, prefixTokens);
    at::Tensor grid = x.narrow(1, prefixTokens, x.size(1) - prefixTokens).to(at::kFloat);
    grid = grid.reshape({1, oldSide, oldSide, channels}).permute({0, 3, 1, 2});
    grid = at::upsample_bicubic2d(grid, {newSide, newSide}, /*align_corners=*/false);
    grid = grid.permute({0, 2, 3, 1}).reshape({1, newSide * newSide, channels}).to(original);
    at::Tensor out = at::cat({prefix, grid}, 1);
    return batched ? out : out.squeeze(0);
}

} // namespace

EngineStatus computeTensor(const TensorJob& job, QByteArray* out, QString* error)
{
    QString failure;
    try {
        at::Tensor t = job.input ? materialise(*job.input) : at::zeros(toStd(job.outShape), at::kLong);
        if (job.transpose) {
            TORCH_CHECK(t.dim() == 2, "transpose: the tensor has ", t.dim(), " dimensions, not 2");
            t = t.t();
        }
        if (job.resize == TensorJob::Resize::SlicePad)
            t = slicePad(t, job.resizeTo, job.padFrom);
        else if (job.resize == TensorJob::Resize::Interpolate)
            t = interpolate(t, job.resizeTo, job.prefixTokens);
        if (job.castTo != DType::Unknown)
            t = t.to(requireType(job.castTo));
        t = t.contiguous();
        TORCH_CHECK(t.scalar_type() == requireType(job.outDtype), "the result is ", t.scalar_type(), ", the plan says ",
                    requireType(job.outDtype));
        TORCH_CHECK(t.sizes() == at::IntArrayRef(toStd(job.outShape)), "the result has shape ", t.sizes(),
                    ", the plan says ", at::IntArrayRef(toStd(job.outShape)));
        const qint64 bytes = qint64(t.numel()) * qint64(t.element_size());
        out->resize(bytes);
        if (bytes > 0)
            std::memcpy(out->data(), t.data_ptr(), size_t(bytes));
        return EngineStatus::Done;
    } catch (const c10::Error& e) {
        failure = oneLine(e.what_without_backtrace());
    } catch (const std::exception& e) {
        failure = oneLine(e.what());
    }
    if (error)
        *error = failure;
    return EngineStatus::Failed;
}

} // namespace statescope::torchexport
