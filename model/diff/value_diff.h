#pragma once

#include "checkpoint/state_dict.h"
#include "tensor/tensor_values.h"

#include <QString>
#include <QVector>

#include <atomic>
#include <functional>

namespace statescope {

class Checkpoint;
class RepairedStateDict;

struct ValueDiffOptions
{
    ValueOptions values; // atol, rtol, chunk size
    int threads = 0;     // 0: one per core (QThread::idealThreadCount)
    // Contiguous tensors bigger than this are cut into slices of this size that threads share, so one huge
    // embedding does not leave the other cores idle at the end.
    qint64 sliceBytes = qint64(64) << 20;
};

// A source key and the target key it is compared with (after the repair plan, the names may differ).
struct ValuePair
{
    QString sourceKey;
    QString targetKey;
};

struct ValueDiffEntry
{
    enum class State {
        Compared, // values holds the comparison
        Failed,   // error says why: a key absent, shapes differ, a dtype without arithmetic, bad bytes
        NotRun,   // cancelled before it finished
    };
    QString sourceKey;
    QString targetKey;
    State state = State::NotRun;
    QString error;
    ValueComparison values;
    // Quantized pairs: the stored integers (int_repr) are compared; `values.equal` also requires the same
    // qscheme, scales, zero points and axis, as torch.equal does. This says the parameters differ.
    bool quantizationDiffers = false;
    qint64 bytes = 0; // both sides
};

struct ValueDiffResult
{
    QVector<ValueDiffEntry> entries; // in the order of the pairs asked for
    bool cancelled = false;
    QString error; // the tensor engine is not available (then every entry is NotRun)
    qint64 bytesDone = 0;
    qint64 bytesTotal = 0;
};

// bytesDone and bytesTotal over both sides. Called from worker threads, never two at once, at most every
// 100 ms and once at the end.
using ValueProgress = std::function<void(qint64 bytesDone, qint64 bytesTotal)>;

// Compares the values of each pair with the LibTorch tensor engine (loaded here on first use), in parallel
// across tensors and slices of big tensors. When *cancel becomes true (cancel may be null) it stops within a
// chunk per thread and returns what is complete, with `cancelled` set.
ValueDiffResult compareValues(const Checkpoint& source, const QVector<StateDictEntry>& sourceEntries,
                              const Checkpoint& target, const QVector<StateDictEntry>& targetEntries,
                              const QVector<ValuePair>& pairs, const ValueDiffOptions& options,
                              const ValueProgress& progress = {}, const std::atomic<bool>* cancel = nullptr);

// Compares what a repair plan writes for each output key with the target. `pairs` name output keys (as
// valuePairsOf gives them); each entry's sourceKey becomes the key in the source file (the output key when the
// plan made the tensor up). A byte-for-byte copy, and a tensor taken from the target unchanged, are read in
// place as compareValues reads them; every other recipe (transpose, resize, cast, fill_num_batches_tracked)
// is computed by TensorEngine::computeTensor, the very call the export writes it with, one tensor at a time
// per thread, so what is compared is what `fix` and Export would write.
ValueDiffResult compareRepairedValues(const Checkpoint& source, const RepairedStateDict& repaired,
                                      const Checkpoint& target, const QVector<StateDictEntry>& targetEntries,
                                      const QVector<ValuePair>& pairs, const ValueDiffOptions& options,
                                      const ValueProgress& progress = {}, const std::atomic<bool>* cancel = nullptr);

struct StatisticsResult
{
    bool ok = false;
    bool cancelled = false;
    QString error;
    TensorStatistics statistics;
};

// Statistics and a histogram of `bins` bins of one tensor: a moments pass, then a histogram pass over
// [min, max], each split across threads for big contiguous tensors. Progress counts both passes.
StatisticsResult tensorStatistics(const Checkpoint& checkpoint, const StateDictEntry& entry, int bins,
                                  const ValueDiffOptions& options, const ValueProgress& progress = {},
                                  const std::atomic<bool>* cancel = nullptr);

} // namespace statescope
