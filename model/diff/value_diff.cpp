#include "value_diff.h"

#include "diff/tensor_view.h"
#include "checkpoint/checkpoint.h"
#include "formats/format_error.h"
#include "repair/recipe_job.h"
#include "repair/repaired_state_dict.h"
#include "tensor/tensor_engine.h"
#include "tensor/tensor_engine_loader.h"

#include <QHash>
#include <QThread>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <numeric>
#include <thread>

namespace statescope {

namespace {

// Sums bytes from all threads and passes them on at most every 100 ms, one caller at a time: a GUI's queued
// signals or a terminal's progress line need no more.
class ThrottledProgress
{
public:
    ThrottledProgress(const ValueProgress& progress, qint64 total) : m_progress(progress), m_total(total) {}

    void add(qint64 bytes)
    {
        const qint64 done = m_done.fetch_add(bytes, std::memory_order_relaxed) + bytes;
        if (!m_progress)
            return;
        std::unique_lock<std::mutex> lock(m_mutex, std::try_to_lock);
        if (!lock.owns_lock())
            return;
        const auto now = std::chrono::steady_clock::now();
        if (now - m_last < std::chrono::milliseconds(100))
            return;
        m_last = now;
        m_progress(done, m_total);
    }
    void finish()
    {
        if (!m_progress)
            return;
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_progress(m_done.load(), m_total);
    }
    qint64 done() const { return m_done.load(); }

private:
    const ValueProgress& m_progress;
    const qint64 m_total;
    std::atomic<qint64> m_done{0};
    std::mutex m_mutex;
    std::chrono::steady_clock::time_point m_last{};
};

// Runs job(i) for i in [0, count) on `threads` threads, in the order given (biggest first balances best).
// Stops handing out work once *cancel is set.
void runParallel(const QVector<int>& order, int threads, const std::atomic<bool>* cancel,
                 const std::function<void(int)>& job)
{
    std::atomic<int> next{0};
    auto worker = [&] {
        for (;;) {
            if (cancel && cancel->load())
                return;
            const int i = next.fetch_add(1);
            if (i >= order.size())
                return;
            job(order[i]);
        }
    };
    const int count = std::max(1, std::min<int>(threads, int(order.size())));
    std::vector<std::thread> pool;
    for (int t = 1; t < count; ++t)
        pool.emplace_back(worker);
    worker();
    for (std::thread& t : pool)
        t.join();
}

int threadCount(const ValueDiffOptions& options)
{
    return options.threads > 0 ? options.threads : std::max(1, QThread::idealThreadCount());
}

// One unit of work: a whole tensor, or a slice [begin, begin + count) of a contiguous one.
struct Piece
{
    int owner = 0;
    qint64 begin = 0;
    qint64 count = -1; // -1: the whole tensor
    qint64 bytes = 0;
};

QVector<Piece> cut(int owner, const QVector<const TensorView*>& views, qint64 sliceBytes)
{
    const TensorView& first = *views.front();
    qint64 elementBytes = 0;
    bool sliceable = sliceBytes > 0;
    for (const TensorView* v : views) {
        elementBytes += dtypeElementSize(v->dtype);
        sliceable = sliceable && v->isContiguous();
    }
    const qint64 numel = first.numel();
    const qint64 total = numel * elementBytes;
    if (!sliceable || total <= sliceBytes)
        return {Piece{owner, 0, -1, total}};
    const qint64 step = std::max<qint64>(1, sliceBytes / elementBytes);
    QVector<Piece> pieces;
    for (qint64 begin = 0; begin < numel; begin += step) {
        const qint64 count = std::min(step, numel - begin);
        pieces.push_back(Piece{owner, begin, count, count * elementBytes});
    }
    return pieces;
}

TensorView part(const TensorView& view, const Piece& piece)
{
    return piece.count < 0 ? view : view.slice(piece.begin, piece.count);
}

QVector<int> biggestFirst(const QVector<Piece>& pieces)
{
    QVector<int> order(pieces.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int l, int r) { return pieces[l].bytes > pieces[r].bytes; });
    return order;
}

const PyTensor* find(const QHash<QString, const PyTensor*>& index, const QString& key)
{
    return index.value(key, nullptr);
}

QHash<QString, const PyTensor*> indexOf(const QVector<StateDictEntry>& entries)
{
    QHash<QString, const PyTensor*> index;
    for (const StateDictEntry& e : entries) {
        if (!index.contains(e.key))
            index.insert(e.key, e.tensor);
    }
    return index;
}

// torch.equal on quantized tensors also compares the quantizer: qscheme, then scale and zero point (per tensor)
// or the scales, zero points and axis (per channel, tensors themselves, compared bitwise by the engine).
bool sameQuantizer(const Checkpoint& ca, const PyTensor& a, const Checkpoint& cb, const PyTensor& b,
                   const TensorEngine& engine)
{
    const auto* pa = a.quantizerParams ? a.quantizerParams->as<PySequence>() : nullptr;
    const auto* pb = b.quantizerParams ? b.quantizerParams->as<PySequence>() : nullptr;
    if (!pa || !pb || a.qscheme != b.qscheme || pa->items.size() != pb->items.size())
        return false;
    for (int i = 1; i < pa->items.size(); ++i) {
        const PyObject* x = pa->items[i];
        const PyObject* y = pb->items[i];
        if (x->kind() != y->kind())
            return false;
        if (const auto* fx = x->as<PyFloat>()) {
            if (fx->value != y->as<PyFloat>()->value)
                return false;
        } else if (const auto* ix = x->as<PyInt>()) {
            if (ix->value != y->as<PyInt>()->value)
                return false;
        } else if (const auto* tx = x->as<PyTensor>()) {
            const auto* ty = y->as<PyTensor>();
            if (tx->shape != ty->shape)
                return false;
            ValueSums sums;
            QString error;
            const auto status = engine.compare(tensorViewOf(ca, *tx, QStringLiteral("quantizer")),
                                               tensorViewOf(cb, *ty, QStringLiteral("quantizer")), ValueOptions(),
                                               &sums, nullptr, {}, &error);
            if (status != EngineStatus::Done || !sums.equal)
                return false;
        } else {
            return false;
        }
    }
    return true;
}

// Where the source side of one pair comes from: a tensor read in place, or a repair recipe the engine computes.
struct SourceSide
{
    const Checkpoint* checkpoint = nullptr; // holds `tensor`
    const PyTensor* tensor = nullptr;       // read in place; null when absent or computed
    const RepairedEntry* computed = nullptr;
    const PyTensor* computedView = nullptr; // the repaired view's description of the output (dtype, shape, strides)
    QString key;                            // in the source file (the entry's sourceKey)
    bool inTarget = false;                  // `tensor` is the target's (take_from_target): messages name its key
};

// Computes a recipe's tensor and compares it with b. The computed bytes live for this call only: one tensor per
// thread at a time, never the whole output.
EngineStatus compareComputed(const TensorEngine& engine, const TensorJob& job, const PyTensor& output, const TensorView& b,
                             const ValueOptions& options, ValueSums* out, const std::atomic<bool>* cancel,
                             const ByteProgress& progress, QString* error)
{
    QByteArray bytes;
    if (engine.computeTensor(job, &bytes, error) != EngineStatus::Done)
        return EngineStatus::Failed;
    TensorView a;
    a.data = reinterpret_cast<const uchar*>(bytes.constData());
    a.storageBytes = bytes.size();
    a.dtype = output.dtype;
    a.shape = output.shape;
    a.stride = output.stride;
    return engine.compare(a, b, options, out, cancel, progress, error);
}

// The comparison itself, for sides read in place or computed; entries get the sides' keys as source keys.
ValueDiffResult compareSides(const Checkpoint& source, const QVector<SourceSide>& sides, const Checkpoint& target,
                             const QVector<StateDictEntry>& targetEntries, const QVector<ValuePair>& pairs,
                             const ValueDiffOptions& options, const ValueProgress& progress,
                             const std::atomic<bool>* cancel)
{
    ValueDiffResult result;
    result.entries.resize(pairs.size());
    const auto targetIndex = indexOf(targetEntries);

    QString engineError;
    const TensorEngine* engine = tensorEngine(&engineError);

    // Views of both sides, built (and checked) before any work starts; a pair that cannot be compared gets
    // its reason now. Computed sides get their job now and their bytes only when a thread takes them.
    QVector<TensorView> viewsA(pairs.size()), viewsB(pairs.size());
    QVector<std::optional<TensorJob>> jobs(pairs.size());
    QVector<Piece> pieces;
    for (int i = 0; i < pairs.size(); ++i) {
        ValueDiffEntry& entry = result.entries[i];
        const SourceSide& side = sides[i];
        entry.sourceKey = side.key;
        entry.targetKey = pairs[i].targetKey;
        const PyTensor* a = side.computed ? side.computedView : side.tensor;
        const PyTensor* b = find(targetIndex, entry.targetKey);
        entry.state = ValueDiffEntry::State::Failed;
        if (!a || !b) {
            entry.error = !a ? QLatin1String("no tensor ") + entry.sourceKey + QLatin1String(" in the source")
                             : QLatin1String("no tensor ") + entry.targetKey + QLatin1String(" in the target");
            continue;
        }
        if (a->shape != b->shape) {
            entry.error = QLatin1String("shapes differ: ") + shapeText(a->shape) + QLatin1String(" and ") + shapeText(b->shape);
            continue;
        }
        if (dtypeIsQuantized(a->dtype) != dtypeIsQuantized(b->dtype) ||
            (dtypeIsQuantized(a->dtype) && a->dtype != b->dtype)) {
            entry.error = QLatin1String("a quantized tensor is compared only with one of the same dtype (") +
                          dtypeName(a->dtype) + QLatin1String(" and ") + dtypeName(b->dtype) + QLatin1Char(')');
            continue;
        }
        try {
            viewsB[i] = tensorViewOf(target, *b, entry.targetKey);
            if (side.computed) {
                // The job export runs for this key (recipeJob), so the bytes compared are the bytes written.
                jobs[i] = recipeJob(*side.computed, source, &target, tensorViewOf);
            } else {
                viewsA[i] = tensorViewOf(*side.checkpoint, *a, side.inTarget ? entry.targetKey : entry.sourceKey);
                if (dtypeIsQuantized(a->dtype) && engine)
                    entry.quantizationDiffers = !sameQuantizer(*side.checkpoint, *a, target, *b, *engine);
            }
        } catch (const FormatError& e) {
            entry.error = e.message();
            continue;
        }
        entry.state = ValueDiffEntry::State::NotRun;
        entry.bytes = a->nbytes() + viewsB[i].nbytes();
        result.bytesTotal += entry.bytes;
        if (jobs[i])
            pieces.push_back(Piece{i, 0, -1, entry.bytes}); // computed whole, on one thread
        else
            pieces += cut(i, {&viewsA[i], &viewsB[i]}, options.sliceBytes);
    }
    if (!engine) {
        result.error = engineError;
        return result;
    }

    ThrottledProgress throttle(progress, result.bytesTotal);
    QVector<ValueSums> sums(pieces.size());
    QVector<EngineStatus> status(pieces.size(), EngineStatus::Cancelled);
    QVector<QString> errors(pieces.size());
    const ByteProgress onBytes = [&throttle](qint64 bytes) { throttle.add(bytes); };
    runParallel(biggestFirst(pieces), threadCount(options), cancel, [&](int p) {
        const Piece& piece = pieces[p];
        const int i = piece.owner;
        if (jobs[i]) {
            status[p] = compareComputed(*engine, *jobs[i], *sides[i].computedView, viewsB[i], options.values, &sums[p],
                                        cancel, onBytes, &errors[p]);
            return;
        }
        status[p] = engine->compare(part(viewsA[i], piece), part(viewsB[i], piece), options.values, &sums[p], cancel,
                                    onBytes, &errors[p]);
    });

    // Pieces are in pair order, so merging them in sequence keeps the sums' rounding reproducible.
    QVector<ValueSums> merged(pairs.size());
    QVector<EngineStatus> outcome(pairs.size(), EngineStatus::Done);
    for (int p = 0; p < pieces.size(); ++p) {
        const int owner = pieces[p].owner;
        merged[owner].merge(sums[p]);
        if (status[p] == EngineStatus::Failed && outcome[owner] != EngineStatus::Failed) {
            outcome[owner] = EngineStatus::Failed;
            result.entries[owner].error = errors[p];
        } else if (status[p] == EngineStatus::Cancelled && outcome[owner] == EngineStatus::Done) {
            outcome[owner] = EngineStatus::Cancelled;
        }
    }
    for (int i = 0; i < pairs.size(); ++i) {
        ValueDiffEntry& entry = result.entries[i];
        if (entry.state != ValueDiffEntry::State::NotRun)
            continue; // failed before the engine ran
        if (outcome[i] == EngineStatus::Failed) {
            entry.state = ValueDiffEntry::State::Failed;
        } else if (outcome[i] == EngineStatus::Done) {
            entry.state = ValueDiffEntry::State::Compared;
            entry.values = ValueComparison::fromSums(merged[i]);
            if (entry.quantizationDiffers)
                entry.values.equal = false;
        } else {
            result.cancelled = true;
        }
    }
    throttle.finish();
    result.bytesDone = throttle.done();
    return result;
}

} // namespace

ValueDiffResult compareValues(const Checkpoint& source, const QVector<StateDictEntry>& sourceEntries,
                              const Checkpoint& target, const QVector<StateDictEntry>& targetEntries,
                              const QVector<ValuePair>& pairs, const ValueDiffOptions& options,
                              const ValueProgress& progress, const std::atomic<bool>* cancel)
{
    const auto sourceIndex = indexOf(sourceEntries);
    QVector<SourceSide> sides(pairs.size());
    for (int i = 0; i < pairs.size(); ++i)
        sides[i] = SourceSide{&source, find(sourceIndex, pairs[i].sourceKey), nullptr, nullptr, pairs[i].sourceKey, false};
    return compareSides(source, sides, target, targetEntries, pairs, options, progress, cancel);
}

ValueDiffResult compareRepairedValues(const Checkpoint& source, const RepairedStateDict& repaired,
                                      const Checkpoint& target, const QVector<StateDictEntry>& targetEntries,
                                      const QVector<ValuePair>& pairs, const ValueDiffOptions& options,
                                      const ValueProgress& progress, const std::atomic<bool>* cancel)
{
    // RepairedStateDict::append keeps entries and view.entries parallel.
    QHash<QString, int> byKey;
    for (int k = 0; k < repaired.entries.size(); ++k)
        byKey.insert(repaired.entries[k].key, k);
    QVector<SourceSide> sides(pairs.size());
    for (int i = 0; i < pairs.size(); ++i) {
        SourceSide& side = sides[i];
        side.key = pairs[i].sourceKey;
        const auto found = byKey.constFind(pairs[i].sourceKey);
        if (found == byKey.constEnd())
            continue; // reported as absent
        const RepairedEntry& entry = repaired.entries[found.value()];
        const TensorRecipe& recipe = entry.recipe;
        if (!entry.sourceKey.isEmpty())
            side.key = entry.sourceKey;
        const bool unchanged = recipe.keepsBytes() && recipe.tensor;
        if (unchanged && recipe.origin == TensorRecipe::Origin::Source) {
            side.checkpoint = &source;
            side.tensor = recipe.tensor;
        } else if (unchanged && recipe.origin == TensorRecipe::Origin::Target) {
            // take_from_target alone writes the target's bytes as they are: read them in place.
            side.checkpoint = &target;
            side.tensor = recipe.tensor;
            side.inTarget = true;
        } else {
            side.computed = &entry;
            side.computedView = repaired.view.entries[found.value()].tensor;
        }
    }
    return compareSides(source, sides, target, targetEntries, pairs, options, progress, cancel);
}

StatisticsResult tensorStatistics(const Checkpoint& checkpoint, const StateDictEntry& entry, int bins,
                                  const ValueDiffOptions& options, const ValueProgress& progress,
                                  const std::atomic<bool>* cancel)
{
    StatisticsResult result;
    if (!entry.tensor) {
        result.error = entry.key + QLatin1String(": not a tensor");
        return result;
    }
    if (bins <= 0) {
        result.error = QLatin1String("a histogram needs at least one bin");
        return result;
    }
    const TensorEngine* engine = tensorEngine(&result.error);
    if (!engine)
        return result;
    TensorView view;
    try {
        view = tensorViewOf(checkpoint, *entry.tensor, entry.key);
    } catch (const FormatError& e) {
        result.error = e.message();
        return result;
    }

    const QVector<Piece> pieces = cut(0, {&view}, options.sliceBytes);
    const QVector<int> order = biggestFirst(pieces);
    ThrottledProgress throttle(progress, 2 * view.nbytes());
    const ByteProgress onBytes = [&throttle](qint64 bytes) { throttle.add(bytes); };
    QVector<EngineStatus> status(pieces.size(), EngineStatus::Cancelled);
    QVector<QString> errors(pieces.size());
    // Turns the pieces' outcomes into the result's; false when the statistics cannot be finished.
    auto settle = [&] {
        for (int p = 0; p < pieces.size(); ++p) {
            if (status[p] == EngineStatus::Failed) {
                result.error = entry.key + QLatin1String(": ") + errors[p];
                return false;
            }
        }
        for (EngineStatus s : status) {
            if (s != EngineStatus::Done) {
                result.cancelled = true;
                return false;
            }
        }
        return true;
    };

    QVector<MomentSums> moments(pieces.size());
    runParallel(order, threadCount(options), cancel, [&](int p) {
        status[p] = engine->moments(part(view, pieces[p]), options.values, &moments[p], cancel, onBytes, &errors[p]);
    });
    if (!settle())
        return result;
    MomentSums all;
    for (const MomentSums& m : moments)
        all.merge(m);

    result.statistics = TensorStatistics::fromMoments(all, bins);
    TensorStatistics& s = result.statistics;
    if (all.finite == 0) {
        throttle.finish();
        result.ok = true;
        return result;
    }
    // torch.histc's own rule for an empty range.
    s.histogramMin = all.min == all.max ? all.min - 1 : all.min;
    s.histogramMax = all.min == all.max ? all.max + 1 : all.max;

    QVector<QVector<qint64>> counts(pieces.size());
    std::fill(status.begin(), status.end(), EngineStatus::Cancelled);
    runParallel(order, threadCount(options), cancel, [&](int p) {
        status[p] = engine->histogram(part(view, pieces[p]), bins, all.min, all.max, options.values, &counts[p], cancel,
                                      onBytes, &errors[p]);
    });
    if (!settle())
        return result;
    for (const QVector<qint64>& c : counts) {
        for (int i = 0; i < bins; ++i)
            s.histogram[i] += c[i];
    }
    throttle.finish();
    result.ok = true;
    return result;
}

} // namespace statescope
