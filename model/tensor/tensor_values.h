#pragma once

#include "checkpoint/dtype.h"

#include <QString>
#include <QVector>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace statescope {

// One tensor as the tensor engine reads it: the bytes of its storage where they already are (the checkpoint's
// read-only mapping) and torch's strided description. Only Qt and standard types, so the host can fill it
// without LibTorch.
struct TensorView
{
    const uchar* data = nullptr; // first byte of the storage
    qint64 storageBytes = 0;
    DType dtype = DType::Unknown;
    QVector<qint64> shape;
    QVector<qint64> stride;
    qint64 storageOffset = 0; // in elements
    bool bigEndian = false;
    // The bytes lie in a read-only shared FILE mapping, so the engine may madvise(MADV_DONTNEED) pages it has
    // finished with (they come back from the page cache if touched again). Never set it for heap memory:
    // there MADV_DONTNEED would zero the data.
    bool fileMapped = false;

    qint64 numel() const
    {
        qint64 n = 1;
        for (qint64 d : shape)
            n *= d;
        return n;
    }
    qint64 nbytes() const { return numel() * dtypeElementSize(dtype); }
    // Row-major without gaps (dimensions of size 1 may have any stride).
    bool isContiguous() const
    {
        qint64 expected = 1;
        for (int i = int(shape.size()) - 1; i >= 0; --i) {
            if (shape[i] != 1 && stride[i] != expected)
                return false;
            expected *= shape[i];
        }
        return true;
    }
    // Elements [begin, begin + count) of a contiguous view, as a 1-D view of the same bytes: lets the host
    // split one big tensor across threads.
    TensorView slice(qint64 begin, qint64 count) const
    {
        TensorView part = *this;
        part.shape = {count};
        part.stride = {1};
        part.storageOffset = storageOffset + begin;
        return part;
    }
};

struct ValueOptions
{
    // torch.allclose's defaults.
    double atol = 1e-8;
    double rtol = 1e-5;
    // Bytes of one side read per step; progress, cancellation and page release happen between steps.
    qint64 chunkBytes = qint64(16) << 20;
};

enum class EngineStatus { Done, Cancelled, Failed };

// Called between chunks with the bytes just processed (an increment, not a total), from the calling thread.
using ByteProgress = std::function<void(qint64 bytes)>;

// The sums one comparison accumulates, in float64. Partial results of slices of one tensor merge exactly
// (up to float64 rounding of the sums), so a big tensor can be compared by several threads.
// Every element is compared as float64: half, bfloat16 and float32 widen exactly, integers up to 2^53 too;
// complex numbers count as pairs (re, im), so a difference is |a - b| (the modulus), dotAB is Re<a, conj b>.
struct ValueSums
{
    qint64 numel = 0;
    // Same dtype: every element bitwise identical (a NaN equals the same NaN; -0.0 differs from 0.0).
    // Different dtypes: every element converts to the same float64 value (NaN matches NaN).
    bool equal = true;
    // torch.allclose(a.double(), b.double(), rtol, atol, equal_nan=False) (complex: on complex128).
    bool allclose = true;
    double maxAbsDiff = 0; // NaN as soon as one difference is NaN, as torch's max() does
    double sumAbsDiff = 0;
    double sumSqDiff = 0;
    double sumSqA = 0;
    double sumSqB = 0;
    double dotAB = 0;
    qint64 nanA = 0, infA = 0, nanB = 0, infB = 0;

    void merge(const ValueSums& o)
    {
        numel += o.numel;
        equal = equal && o.equal;
        allclose = allclose && o.allclose;
        if (std::isnan(o.maxAbsDiff) || o.maxAbsDiff > maxAbsDiff)
            maxAbsDiff = std::isnan(maxAbsDiff) ? maxAbsDiff : o.maxAbsDiff;
        sumAbsDiff += o.sumAbsDiff;
        sumSqDiff += o.sumSqDiff;
        sumSqA += o.sumSqA;
        sumSqB += o.sumSqB;
        dotAB += o.dotAB;
        nanA += o.nanA;
        infA += o.infA;
        nanB += o.nanB;
        infB += o.infB;
    }
};

// What StateScope reports for a pair of tensors of equal shape (b is the target).
struct ValueComparison
{
    qint64 numel = 0;
    bool equal = true;
    bool allclose = true;
    double maxAbsDiff = 0;
    double meanAbsDiff = 0; // NaN for empty tensors
    double relL2 = 0;       // ||a - b|| / ||b||, IEEE arithmetic: 0/0 is NaN
    double cosine = 0;      // <a, b> / (||a|| ||b||), NaN when a norm is 0
    qint64 nanA = 0, infA = 0, nanB = 0, infB = 0;

    static ValueComparison fromSums(const ValueSums& s)
    {
        ValueComparison c;
        c.numel = s.numel;
        c.equal = s.equal;
        c.allclose = s.allclose;
        c.maxAbsDiff = s.numel == 0 ? 0.0 : s.maxAbsDiff;
        c.meanAbsDiff = s.numel == 0 ? std::numeric_limits<double>::quiet_NaN() : s.sumAbsDiff / double(s.numel);
        c.relL2 = std::sqrt(s.sumSqDiff) / std::sqrt(s.sumSqB);
        c.cosine = s.dotAB / (std::sqrt(s.sumSqA) * std::sqrt(s.sumSqB));
        c.nanA = s.nanA;
        c.infA = s.infA;
        c.nanB = s.nanB;
        c.infB = s.infB;
        return c;
    }
};

// First pass of the statistics: counts and moments over the FINITE values (complex: over |z|), mergeable
// across slices (Chan et al.'s pairwise update for the variance).
struct MomentSums
{
    qint64 numel = 0;
    qint64 finite = 0;
    qint64 zeros = 0;
    qint64 nan = 0;
    qint64 inf = 0;
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    double mean = 0;
    double m2 = 0; // sum of squared deviations from the mean

    void merge(const MomentSums& o)
    {
        numel += o.numel;
        zeros += o.zeros;
        nan += o.nan;
        inf += o.inf;
        min = std::min(min, o.min);
        max = std::max(max, o.max);
        if (o.finite == 0)
            return;
        const double n = double(finite) + double(o.finite);
        const double delta = o.mean - mean;
        mean += delta * double(o.finite) / n;
        m2 += o.m2 + delta * delta * double(finite) * double(o.finite) / n;
        finite += o.finite;
    }
};

// Per-tensor statistics for the GUI's plots.
struct TensorStatistics
{
    qint64 numel = 0;
    qint64 zeros = 0;
    qint64 nan = 0;
    qint64 inf = 0;
    // Over the finite values (NaN when there are none); std is torch.std's unbiased one (N - 1).
    double min = 0, max = 0, mean = 0, std = 0;
    // torch.histc over the finite values as float64 with `bins` bins on [min, max] (histc widens an empty
    // range to [min - 1, max + 1], and so do we).
    QVector<qint64> histogram;
    double histogramMin = 0, histogramMax = 0;

    // The counts and moments of a finished first pass, with `bins` empty histogram bins for the second.
    static TensorStatistics fromMoments(const MomentSums& m, int bins)
    {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        TensorStatistics t;
        t.numel = m.numel;
        t.zeros = m.zeros;
        t.nan = m.nan;
        t.inf = m.inf;
        t.min = m.finite > 0 ? m.min : nan;
        t.max = m.finite > 0 ? m.max : nan;
        t.mean = m.finite > 0 ? m.mean : nan;
        t.std = m.finite > 1 ? std::sqrt(m.m2 / double(m.finite - 1)) : nan;
        t.histogram.fill(0, bins);
        return t;
    }
};

} // namespace statescope
