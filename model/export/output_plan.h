#pragma once

#include "checkpoint/checkpoint.h"
#include "checkpoint/pyobject.h"
#include "checkpoint/state_dict.h"
#include "repair/repaired_state_dict.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>

namespace statescope {

class TensorEngine;

// What an exporter writes for one repaired state dict: the output dict as an object tree (plain copies keep
// the source's tensors, so shared storages and views stay shared; everything else gets a tensor of its own
// over a new storage) and, per storage, where its bytes come from. Bytes are fetched one storage at a time.
class OutputPlan
{
public:
    OutputPlan(const Checkpoint& source, const RepairedStateDict& repaired, const Checkpoint* target);
    OutputPlan(const OutputPlan&) = delete;
    OutputPlan& operator=(const OutputPlan&) = delete;

    // The repaired dict: the source dict's class (OrderedDict normally), keys in output order, _metadata.
    const PyDict* stateDict() const { return m_dict; }
    // Output tensors in order, parallel to RepairedStateDict::entries (the dict also holds the non-tensor
    // `_extra_state` values, between them).
    const QVector<const PyTensor*>& tensors() const { return m_tensors; }
    const QVector<RepairedExtraState>& extraStates() const { return m_repaired.extraStates; }

    struct Bytes
    {
        QByteArrayView view; // the bytes to write, little-endian
        QByteArray owned;    // backs `view` when computed or byte-swapped
        bool fileMapped = false; // `view` lies in a read-only file mapping (pages may be released)
        // With fileMapped from storageBytes: the same bytes as they lie in the file, so a writer can copy them
        // file to file (and reuse a zip record's CRC when they are that record whole).
        const Checkpoint* checkpoint = nullptr;
        int file = 0;
        qint64 fileOffset = -1;
    };
    // All bytes of a storage (for the torch writer). `dtype` is the element type (an untyped storage takes
    // its tensor's). Throws FormatError.
    Bytes storageBytes(const PyStorage* storage, DType dtype, TensorEngine** engine) const;
    qint64 storageNumel(const PyStorage* storage, DType dtype) const;
    // The contiguous bytes of one output tensor (for safetensors). Throws FormatError.
    Bytes tensorBytes(int index, TensorEngine** engine) const;

private:
    struct Computed
    {
        const RepairedEntry* entry = nullptr;
        DType dtype = DType::Unknown;
        qint64 numel = 0;
    };
    const Checkpoint& checkpointOf(const PyStorage* storage) const;
    Bytes compute(const RepairedEntry& entry, TensorEngine** engine) const;
    Bytes copyAsContiguous(const Checkpoint& checkpoint, const PyTensor& tensor, const QString& key,
                           TensorEngine** engine) const;

    const Checkpoint& m_source;
    const RepairedStateDict& m_repaired;
    const Checkpoint* m_target;
    PyArena m_arena;
    PyDict* m_dict = nullptr;
    QVector<const PyTensor*> m_tensors;
    QHash<const PyStorage*, Computed> m_computed;
    QHash<const PyStorage*, const Checkpoint*> m_fromTarget;
};

// The engine, loaded on first need; throws FormatError when LibTorch's plugin is unavailable.
TensorEngine& requireEngine(TensorEngine** engine);

} // namespace statescope
