// LibTorch first: Qt's `slots`/`signals` macros would break its headers (the target also sets QT_NO_KEYWORDS).
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include "torch_dtype.h"
#include "torch_values.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <vector>
#include <mutex>
#include <optional>

namespace statescope::torchvalues {

namespace {

// Elements per arithmetic step: the float64 working copies (x, y, x - y) stay in the L2 cache, so the ten or so
// torch operations per step cost compute, not memory traffic. Chunks (options.chunkBytes) are the unit of
// reading, progress, cancellation and page release; blocks subdivide them.
constexpr qint64 kBlockElements = 64 * 1024;

// LibTorch's intra-op pool would multiply with the host's threads (one per core, across tensors), so every
// thread that calls us runs its operations alone. Once per thread: OpenMP keeps the setting per thread.
void useOneThread()
{
    thread_local bool done = false;
    if (done)
        return;
    static std::mutex mutex;
    const std::lock_guard<std::mutex> lock(mutex);
    at::set_num_threads(1);
    done = true;
}

bool cancelled(const std::atomic<bool>* cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

// Drops the whole pages of [begin, end) from this process: for a read-only shared file mapping the data stays in
// the page cache and faults back in if touched again, so this only keeps the resident set from growing with
// the checkpoint.
void releasePages(const uchar* begin, const uchar* end)
{
    static const quintptr page = quintptr(sysconf(_SC_PAGESIZE));
    const quintptr first = (quintptr(begin) + page - 1) & ~(page - 1);
    const quintptr last = quintptr(end) & ~(page - 1);
    if (last > first)
        madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

// Yields a tensor's elements in row-major order, a chunk at a time, as contiguous native-endian 1-D tensors.
// Contiguous little-endian views are read in place (from_blob over the mapping); other views are copied.
class ChunkSource
{
public:
    ChunkSource(const TensorView& view, at::ScalarType type, QString* error) : m_view(view), m_type(type)
    {
        m_elementSize = qint64(at::elementSize(type));
        m_numel = view.numel();
        if (!validate(error))
            return;
        m_ok = true;
        if (m_numel > 0 && (!view.isContiguous() || view.bigEndian))
            materialise();
    }
    bool ok() const { return m_ok; }
    qint64 numel() const { return m_numel; }
    qint64 elementSize() const { return m_elementSize; }

    at::Tensor chunk(qint64 begin, qint64 count) const
    {
        if (m_copy.defined())
            return m_copy.narrow(0, begin, count);
        return at::from_blob(const_cast<uchar*>(address(begin)), {count}, at::TensorOptions().dtype(m_type));
    }
    void done(qint64 begin, qint64 count) const
    {
        if (m_view.fileMapped && !m_copy.defined())
            releasePages(address(begin), address(begin + count));
    }

private:
    const uchar* address(qint64 element) const
    {
        return m_view.data + (m_view.storageOffset + element) * m_elementSize;
    }

    bool validate(QString* error) const
    {
        if (m_view.shape.size() != m_view.stride.size()) {
            *error = QStringLiteral("shape and stride have different lengths");
            return false;
        }
        qint64 last = m_view.storageOffset;
        for (int i = 0; i < m_view.shape.size(); ++i) {
            if (m_view.shape[i] < 0 || m_view.stride[i] < 0) {
                *error = QStringLiteral("negative size or stride");
                return false;
            }
            if (m_view.shape[i] > 0)
                last += (m_view.shape[i] - 1) * m_view.stride[i];
        }
        if (m_numel == 0)
            return true;
        if (m_view.storageOffset < 0 || !m_view.data || (last + 1) > m_view.storageBytes / m_elementSize) {
            *error = QStringLiteral("the tensor reaches element ") + QString::number(last) +
                     QStringLiteral(" but its storage holds ") + QString::number(m_view.storageBytes / m_elementSize);
            return false;
        }
        return true;
    }

    // Non-contiguous or big-endian: one native contiguous copy of the tensor (the task allows these whole).
    // Only the storage range the tensor spans is read, so a slice of a big tensor copies just its part.
    void materialise()
    {
        qint64 span = 1;
        for (int i = 0; i < m_view.shape.size(); ++i)
            span += (m_view.shape[i] - 1) * m_view.stride[i];
        const uchar* first = address(0);
        at::Tensor region = at::from_blob(const_cast<uchar*>(first), {span}, at::TensorOptions().dtype(m_type));
        if (m_view.bigEndian && m_elementSize > 1) {
            region = region.clone();
            // Complex numbers are two floats, each stored big-endian.
            const qint64 unit = at::isComplexType(m_type) ? m_elementSize / 2 : m_elementSize;
            auto* bytes = static_cast<uchar*>(region.data_ptr());
            for (qint64 i = 0; i < span * m_elementSize; i += unit)
                std::reverse(bytes + i, bytes + i + unit);
        }
        const std::vector<int64_t> shape(m_view.shape.cbegin(), m_view.shape.cend());
        const std::vector<int64_t> stride(m_view.stride.cbegin(), m_view.stride.cend());
        m_copy = region.as_strided(shape, stride, 0).contiguous().view({-1});
        if (m_view.fileMapped)
            releasePages(first, first + span * m_elementSize);
    }

    TensorView m_view;
    at::ScalarType m_type;
    qint64 m_elementSize = 1;
    qint64 m_numel = 0;
    bool m_ok = false;
    at::Tensor m_copy;
};

// The float64 working form of a block: real values, or (re, im) pairs flattened for complex tensors.
void widen(const at::Tensor& block, at::Tensor& out)
{
    if (at::isComplexType(block.scalar_type()))
        out.copy_(at::view_as_real(block).reshape({-1}));
    else
        out.copy_(block);
}

double item(const at::Tensor& t)
{
    return t.item<double>();
}

// |value| per element in float64: the modulus for complex pairs, a no-op view for real ones.
at::Tensor magnitude(const at::Tensor& wide, bool complex)
{
    return complex ? at::view_as_complex(wide.view({-1, 2})).abs() : wide;
}

qint64 countNan(const at::Tensor& wide, bool complex)
{
    return complex ? at::isnan(wide.view({-1, 2})).any(1).sum().item<int64_t>() : at::isnan(wide).sum().item<int64_t>();
}

qint64 countInf(const at::Tensor& wide, bool complex)
{
    return complex ? at::isinf(wide.view({-1, 2})).any(1).sum().item<int64_t>() : at::isinf(wide).sum().item<int64_t>();
}

void mergeMax(double& into, double value)
{
    if (std::isnan(into))
        return;
    if (std::isnan(value) || value > into)
        into = value;
}

template<typename F>
EngineStatus guarded(QString* error, F&& body)
{
    // No exception may leave the plugin: the host is built without knowledge of c10's exception types.
    try {
        useOneThread();
        return body();
    } catch (const c10::Error& e) {
        *error = QString::fromUtf8(e.what_without_backtrace()).simplified().left(300);
    } catch (const std::exception& e) {
        *error = QString::fromUtf8(e.what()).simplified().left(300);
    }
    return EngineStatus::Failed;
}

std::optional<at::ScalarType> requireType(const TensorView& view, QString* error)
{
    const auto type = scalarTypeOf(view.dtype, QuantizedAs::StoredIntegers);
    if (!type)
        *error = QStringLiteral("values of ") + dtypeName(view.dtype) + QStringLiteral(" tensors cannot be computed");
    return type;
}

qint64 chunkElements(const ValueOptions& options, qint64 elementSize)
{
    // Whole blocks per chunk, at least one.
    const qint64 elements = std::max<qint64>(options.chunkBytes / elementSize, kBlockElements);
    return elements / kBlockElements * kBlockElements;
}

// One chunk whose bytes are identical on both sides: no difference to add, only the sums of one side.
void addIdenticalChunk(const at::Tensor& chunk, bool complex, at::Tensor& x, ValueSums& sums)
{
    const qint64 n = chunk.numel();
    for (qint64 begin = 0; begin < n; begin += kBlockElements) {
        const qint64 count = std::min(kBlockElements, n - begin);
        at::Tensor wide = x.narrow(0, 0, complex ? 2 * count : count);
        widen(chunk.narrow(0, begin, count), wide);
        const double squares = item(at::dot(wide, wide));
        sums.sumSqA += squares;
        sums.sumSqB += squares;
        sums.dotAB += squares;
        if (std::isfinite(squares))
            continue;
        // NaN - NaN and Inf - Inf are NaN: what torch's (a - b).abs().max() reports for these elements.
        const qint64 nan = countNan(wide, complex);
        const qint64 inf = countInf(wide, complex);
        sums.nanA += nan;
        sums.nanB += nan;
        sums.infA += inf;
        sums.infB += inf;
        if (nan + inf > 0) {
            const double notANumber = std::numeric_limits<double>::quiet_NaN();
            sums.maxAbsDiff = notANumber;
            sums.sumAbsDiff = notANumber;
            sums.sumSqDiff = notANumber;
        }
        if (nan > 0)
            sums.allclose = false; // equal_nan=False; equal infinities are close (isclose checks a == b first)
    }
}

} // namespace

EngineStatus compare(const TensorView& a, const TensorView& b, const ValueOptions& options, ValueSums* out,
                     const std::atomic<bool>* cancel, const ByteProgress& progress, QString* error)
{
    return guarded(error, [&] {
        *out = ValueSums();
        const auto typeA = requireType(a, error);
        const auto typeB = requireType(b, error);
        if (!typeA || !typeB)
            return EngineStatus::Failed;
        if (a.shape != b.shape) {
            *error = QStringLiteral("the tensors have different shapes");
            return EngineStatus::Failed;
        }
        const bool complexA = at::isComplexType(*typeA);
        const bool complexB = at::isComplexType(*typeB);
        if (complexA != complexB) {
            *error = QStringLiteral("a complex tensor is only compared with a complex tensor");
            return EngineStatus::Failed;
        }
        const bool complex = complexA;
        ChunkSource sourceA(a, *typeA, error);
        if (!sourceA.ok())
            return EngineStatus::Failed;
        ChunkSource sourceB(b, *typeB, error);
        if (!sourceB.ok())
            return EngineStatus::Failed;
        // Bitwise equality is only meaningful for the same element type (and the packed quantized bytes).
        const bool sameType = a.dtype == b.dtype;

        const qint64 width = complex ? 2 * kBlockElements : kBlockElements;
        const auto wide = at::TensorOptions().dtype(at::kDouble);
        at::Tensor x = at::empty({width}, wide);
        at::Tensor y = at::empty({width}, wide);
        at::Tensor d = at::empty({width}, wide);

        ValueSums& sums = *out;
        const qint64 numel = sourceA.numel();
        const qint64 step = chunkElements(options, std::max(sourceA.elementSize(), sourceB.elementSize()));
        for (qint64 chunkBegin = 0; chunkBegin < numel; chunkBegin += step) {
            if (cancelled(cancel))
                return EngineStatus::Cancelled;
            const qint64 chunkCount = std::min(step, numel - chunkBegin);
            const at::Tensor chunkA = sourceA.chunk(chunkBegin, chunkCount);
            const at::Tensor chunkB = sourceB.chunk(chunkBegin, chunkCount);
            const qint64 chunkBytes = chunkCount * sourceA.elementSize();
            if (sameType && std::memcmp(chunkA.data_ptr(), chunkB.data_ptr(), size_t(chunkBytes)) == 0) {
                addIdenticalChunk(chunkA, complex, x, sums);
            } else {
                for (qint64 begin = 0; begin < chunkCount; begin += kBlockElements) {
                    const qint64 count = std::min(kBlockElements, chunkCount - begin);
                    const at::Tensor blockA = chunkA.narrow(0, begin, count);
                    const at::Tensor blockB = chunkB.narrow(0, begin, count);
                    const qint64 w = complex ? 2 * count : count;
                    at::Tensor xs = x.narrow(0, 0, w), ys = y.narrow(0, 0, w), ds = d.narrow(0, 0, w);
                    widen(blockA, xs);
                    widen(blockB, ys);
                    at::sub_out(ds, xs, ys);
                    const double squaresA = item(at::dot(xs, xs));
                    const double squaresB = item(at::dot(ys, ys));
                    sums.sumSqA += squaresA;
                    sums.sumSqB += squaresB;
                    sums.dotAB += item(at::dot(xs, ys));
                    sums.sumSqDiff += item(at::dot(ds, ds));
                    const at::Tensor absDiff = complex ? magnitude(ds, true) : ds.abs_();
                    const double blockMax = item(absDiff.max());
                    mergeMax(sums.maxAbsDiff, blockMax);
                    sums.sumAbsDiff += item(absDiff.sum());
                    // A NaN or Inf anywhere makes a sum of squares non-finite: only then count them.
                    if (!std::isfinite(squaresA)) {
                        sums.nanA += countNan(xs, complex);
                        sums.infA += countInf(xs, complex);
                    }
                    if (!std::isfinite(squaresB)) {
                        sums.nanB += countNan(ys, complex);
                        sums.infB += countInf(ys, complex);
                    }
                    if (sums.equal) {
                        if (sameType) {
                            const qint64 bytes = count * sourceA.elementSize();
                            sums.equal = std::memcmp(blockA.data_ptr(), blockB.data_ptr(), size_t(bytes)) == 0;
                        } else if (blockMax != 0) {
                            sums.equal = std::isnan(blockMax) &&
                                         (at::eq(xs, ys) | (at::isnan(xs) & at::isnan(ys))).all().item<bool>();
                        }
                    }
                    // Every |a - b| <= atol already satisfies torch's |a - b| <= atol + rtol * |b|.
                    if (sums.allclose && !(blockMax <= options.atol)) {
                        sums.allclose = complex ? at::allclose(at::view_as_complex(xs.view({-1, 2})),
                                                               at::view_as_complex(ys.view({-1, 2})), options.rtol,
                                                               options.atol)
                                                : at::allclose(xs, ys, options.rtol, options.atol);
                    }
                }
            }
            sums.numel += chunkCount;
            sourceA.done(chunkBegin, chunkCount);
            sourceB.done(chunkBegin, chunkCount);
            if (progress)
                progress(chunkBytes + chunkCount * sourceB.elementSize());
        }
        return EngineStatus::Done;
    });
}

namespace {

// The finite values of a block as float64 magnitudes (the values themselves for real tensors), counting the
// NaN and Inf it drops.
at::Tensor finiteValues(const at::Tensor& block, bool complex, at::Tensor& x, qint64* nan, qint64* inf, qint64* zeros)
{
    const qint64 count = block.numel();
    at::Tensor wide = x.narrow(0, 0, complex ? 2 * count : count);
    widen(block, wide);
    at::Tensor values = magnitude(wide, complex);
    if (zeros)
        *zeros += at::eq(values, 0).sum().item<int64_t>();
    // min and max propagate NaN and show Inf: the common all-finite block costs two reductions.
    if (std::isfinite(item(values.min())) && std::isfinite(item(values.max())))
        return values;
    const at::Tensor nanMask = at::isnan(values);
    const at::Tensor infMask = at::isinf(values);
    if (nan)
        *nan += nanMask.sum().item<int64_t>();
    if (inf)
        *inf += infMask.sum().item<int64_t>();
    return values.masked_select(~(nanMask | infMask));
}

} // namespace

EngineStatus moments(const TensorView& view, const ValueOptions& options, MomentSums* out,
                     const std::atomic<bool>* cancel, const ByteProgress& progress, QString* error)
{
    return guarded(error, [&] {
        *out = MomentSums();
        const auto type = requireType(view, error);
        if (!type)
            return EngineStatus::Failed;
        const bool complex = at::isComplexType(*type);
        ChunkSource source(view, *type, error);
        if (!source.ok())
            return EngineStatus::Failed;
        at::Tensor x = at::empty({complex ? 2 * kBlockElements : kBlockElements}, at::TensorOptions().dtype(at::kDouble));
        const qint64 numel = source.numel();
        const qint64 step = chunkElements(options, source.elementSize());
        for (qint64 chunkBegin = 0; chunkBegin < numel; chunkBegin += step) {
            if (cancelled(cancel))
                return EngineStatus::Cancelled;
            const qint64 chunkCount = std::min(step, numel - chunkBegin);
            const at::Tensor chunk = source.chunk(chunkBegin, chunkCount);
            for (qint64 begin = 0; begin < chunkCount; begin += kBlockElements) {
                const qint64 count = std::min(kBlockElements, chunkCount - begin);
                MomentSums block;
                block.numel = count;
                const at::Tensor values =
                    finiteValues(chunk.narrow(0, begin, count), complex, x, &block.nan, &block.inf, &block.zeros);
                block.finite = values.numel();
                if (block.finite > 0) {
                    block.min = item(values.min());
                    block.max = item(values.max());
                    block.mean = item(values.sum()) / double(block.finite);
                    const at::Tensor centred = values - block.mean;
                    block.m2 = item(at::dot(centred, centred));
                }
                out->merge(block);
            }
            source.done(chunkBegin, chunkCount);
            if (progress)
                progress(chunkCount * source.elementSize());
        }
        return EngineStatus::Done;
    });
}

EngineStatus histogram(const TensorView& view, int bins, double lo, double hi, const ValueOptions& options,
                       QVector<qint64>* counts, const std::atomic<bool>* cancel, const ByteProgress& progress,
                       QString* error)
{
    return guarded(error, [&] {
        if (bins <= 0) {
            *error = QStringLiteral("a histogram needs at least one bin");
            return EngineStatus::Failed;
        }
        if (counts->isEmpty())
            counts->fill(0, bins);
        if (counts->size() != bins) {
            *error = QStringLiteral("the histogram to add to has a different number of bins");
            return EngineStatus::Failed;
        }
        const auto type = requireType(view, error);
        if (!type)
            return EngineStatus::Failed;
        const bool complex = at::isComplexType(*type);
        ChunkSource source(view, *type, error);
        if (!source.ok())
            return EngineStatus::Failed;
        at::Tensor x = at::empty({complex ? 2 * kBlockElements : kBlockElements}, at::TensorOptions().dtype(at::kDouble));
        at::Tensor total = at::zeros({bins}, at::TensorOptions().dtype(at::kDouble));
        const qint64 numel = source.numel();
        const qint64 step = chunkElements(options, source.elementSize());
        EngineStatus status = EngineStatus::Done;
        for (qint64 chunkBegin = 0; chunkBegin < numel; chunkBegin += step) {
            if (cancelled(cancel)) {
                status = EngineStatus::Cancelled;
                break;
            }
            const qint64 chunkCount = std::min(step, numel - chunkBegin);
            const at::Tensor chunk = source.chunk(chunkBegin, chunkCount);
            for (qint64 begin = 0; begin < chunkCount; begin += kBlockElements) {
                const qint64 count = std::min(kBlockElements, chunkCount - begin);
                // torch.histc refuses Half on the CPU and counts NaN nowhere useful: float64 finite values.
                const at::Tensor values = finiteValues(chunk.narrow(0, begin, count), complex, x, nullptr, nullptr, nullptr);
                if (values.numel() > 0)
                    total += at::histc(values, bins, lo, hi);
            }
            source.done(chunkBegin, chunkCount);
            if (progress)
                progress(chunkCount * source.elementSize());
        }
        const auto accessor = total.accessor<double, 1>();
        for (int i = 0; i < bins; ++i)
            (*counts)[i] += qint64(accessor[i]);
        return status;
    });
}

} // namespace statescope::torchvalues
