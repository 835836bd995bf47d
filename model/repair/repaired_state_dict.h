#pragma once

#include "checkpoint/pyobject.h"
#include "checkpoint/state_dict.h"

#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>

namespace statescope {

// How one output tensor's values are produced from the files, applied in this order:
// take (source tensor, target tensor, or an int64 zero) -> transpose -> resize -> cast.
// The repair plan (model/repair) builds recipes; the exporter (model/export) executes them, streaming
// plain copies straight from the source mapping and running the rest in the tensor engine.
struct TensorRecipe
{
    enum class Origin {
        Source, // `tensor` is in the source checkpoint
        Target, // take_from_target: `tensor` is in the target checkpoint
        Zero,   // fill_num_batches_tracked: torch.tensor(0, dtype=torch.long), `tensor` is null
    };
    enum class Resize {
        None,
        SlicePad,    // copy the overlap with resizeTo; the rest from `padFrom` (target) or zeros
        Interpolate, // bicubic on the square grid of rows after `prefixTokens` (timm pos_embed convention)
    };

    Origin origin = Origin::Source;
    const PyTensor* tensor = nullptr;
    bool transpose = false; // 2-D tensors only
    Resize resize = Resize::None;
    QVector<qint64> resizeTo;
    const PyTensor* padFrom = nullptr;
    int prefixTokens = 0;
    DType castTo = DType::Unknown; // Unknown: keep the dtype

    // What comes out, for the verdict and the writer.
    DType dtype = DType::Unknown;
    QVector<qint64> shape;

    // The tensor it takes (from the source or the target) is written as it is: no transpose, resize or cast.
    bool keepsBytes() const
    {
        return origin != Origin::Zero && !transpose && resize == Resize::None && castTo == DType::Unknown;
    }
    // A byte-for-byte copy of a source tensor: what `fix --auto` restricts itself to.
    bool isPlainCopy() const { return origin == Origin::Source && keepsBytes(); }
};

struct RepairedEntry
{
    QString key;       // the key in the output (what the model will see)
    QString sourceKey; // the key it had in the source; empty for tensors that do not come from the source
    TensorRecipe recipe;
};

// A non-tensor `_extra_state` value carried through the plan: key rules rename or drop it like any key; it is
// written back as it was read.
struct RepairedExtraState
{
    QString key;
    QString sourceKey;
    const PyObject* value = nullptr;
    int position = 0; // how many output tensor entries precede it
};

// The source state dict after a repair plan. Immutable once built; shared as
// std::shared_ptr<const RepairedStateDict>.
class RepairedStateDict
{
public:
    QVector<RepairedEntry> entries; // output order
    QVector<RepairedExtraState> extraStates; // non-tensor `_extra_state` values, in output order
    QStringList dropped;            // source keys the plan removed
    // The same content as a StateDict, so the load verdict and the views work unchanged: entries point at
    // tensors made in `arena` with the output key's shape and dtype; `metadata` is the source's _metadata
    // with its module prefixes remapped like the keys (torch's BatchNorm rule reads it), or null.
    StateDict view;
    PyArena arena;

    RepairedStateDict() = default;
    RepairedStateDict(const RepairedStateDict&) = delete;
    RepairedStateDict& operator=(const RepairedStateDict&) = delete;

    // Appends an entry and its view tensor (made from the recipe's dtype and shape, contiguous strides).
    void append(RepairedEntry entry);
    // Appends a non-tensor extra state after the entries appended so far (to the view too).
    void appendExtraState(const QString& key, const QString& sourceKey, const PyObject* value);
};

// The empty plan: every source tensor copied under its own key, metadata as it is.
std::shared_ptr<const RepairedStateDict> identityRepair(const StateDict& source);

} // namespace statescope
