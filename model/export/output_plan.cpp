#include "output_plan.h"
#include "repair/recipe_job.h"

#include "diff/tensor_view.h"
#include "formats/format_error.h"
#include "tensor/tensor_engine.h"
#include "tensor/tensor_engine_loader.h"

#include <algorithm>
#include <cstring>

namespace statescope {

namespace {

qint64 product(const QVector<qint64>& shape)
{
    qint64 n = 1;
    for (qint64 d : shape)
        n *= d;
    return n;
}

// Big-endian files (legacy saves from big-endian hosts, zip archives with byteorder "big") are written
// little-endian, as torch.save on this machine would; complex numbers swap per component.
QByteArray toLittleEndian(QByteArrayView bytes, DType dtype)
{
    QByteArray out(bytes.data(), bytes.size());
    const int unit = dtypeIsComplex(dtype) ? dtypeElementSize(dtype) / 2 : dtypeElementSize(dtype);
    if (unit <= 1)
        return out;
    char* p = out.data();
    for (qint64 i = 0; i + unit <= out.size(); i += unit)
        std::reverse(p + i, p + i + unit);
    return out;
}

// Whether a checkpoint's bytes must be swapped to be what torch loads. Only a zip's `byteorder` record counts:
// torch (1.13 and 2.x) ignores a legacy file's sys_info flag and reads its bytes as native, and the output must
// hold what torch loads from the source.
bool swapsBytes(const Checkpoint& checkpoint)
{
    return checkpoint.format() == CheckpointFormat::TorchZip && checkpoint.byteOrder() == QLatin1String("big");
}

TensorView viewOf(const Checkpoint& checkpoint, const PyTensor& tensor, const QString& key)
{
    TensorView view = tensorViewOf(checkpoint, tensor, key);
    view.bigEndian = swapsBytes(checkpoint);
    return view;
}

} // namespace

TensorEngine& requireEngine(TensorEngine** engine)
{
    if (!*engine) {
        QString error;
        *engine = tensorEngine(&error);
        if (!*engine)
            throw FormatError(QLatin1String("the LibTorch tensor engine is needed to write this output: ") + error);
    }
    return **engine;
}

OutputPlan::OutputPlan(const Checkpoint& source, const RepairedStateDict& repaired, const Checkpoint* target)
    : m_source(source), m_repaired(repaired), m_target(target)
{
    m_dict = m_arena.make<PyDict>();
    const PyDict* sourceDict = repaired.view.object ? repaired.view.object->as<PyDict>() : nullptr;
    m_dict->className = sourceDict ? sourceDict->className : QStringLiteral("collections.OrderedDict");
    if (repaired.view.metadata) {
        // Only an OrderedDict carries _metadata (torch's state_dict() sets it as an attribute).
        if (m_dict->className.isEmpty())
            m_dict->className = QStringLiteral("collections.OrderedDict");
        auto* state = m_arena.make<PyDict>();
        state->items.push_back({m_arena.make<PyString>(QStringLiteral("_metadata")), const_cast<PyDict*>(repaired.view.metadata)});
        m_dict->state = state;
    }

    int extra = 0;
    auto addExtraStatesBefore = [&](qsizetype position) {
        // Non-tensor `_extra_state` values go back where they were, written as read (the pickler still
        // replaces a global that would run code).
        for (; extra < repaired.extraStates.size() && repaired.extraStates[extra].position <= position; ++extra) {
            const RepairedExtraState& x = repaired.extraStates[extra];
            m_dict->items.push_back({m_arena.make<PyString>(x.key), const_cast<PyObject*>(x.value)});
        }
    };
    for (qsizetype i = 0; i < repaired.entries.size(); ++i) {
        addExtraStatesBefore(i);
        const RepairedEntry& entry = repaired.entries[i];
        const TensorRecipe& recipe = entry.recipe;
        const PyTensor* tensor = nullptr;
        const bool untouched = !recipe.transpose && recipe.resize == TensorRecipe::Resize::None &&
                               recipe.castTo == DType::Unknown && recipe.tensor;
        if (untouched && recipe.origin == TensorRecipe::Origin::Source) {
            tensor = recipe.tensor; // the source's own tensor object: views and sharing survive
        } else if (untouched && recipe.origin == TensorRecipe::Origin::Target) {
            if (!target)
                throw FormatError(entry.key + QLatin1String(": the plan takes this tensor from the target, but no target was given"));
            tensor = recipe.tensor;
            if (tensor->storage)
                m_fromTarget.insert(tensor->storage, target);
        } else {
            const PyTensor* view = repaired.view.entries.value(i).tensor;
            auto* storage = m_arena.make<PyStorage>();
            storage->key = entry.key;
            storage->location = QStringLiteral("cpu");
            storage->dtype = recipe.dtype;
            storage->numel = product(recipe.shape);
            auto* made = m_arena.make<PyTensor>();
            made->rebuildFunction = QStringLiteral("torch._utils._rebuild_tensor_v2");
            made->dtype = recipe.dtype;
            made->shape = recipe.shape;
            made->stride = view ? view->stride : QVector<qint64>();
            made->storage = storage;
            if (recipe.tensor) {
                made->isParameter = recipe.tensor->isParameter;
                made->parameterRequiresGrad = recipe.tensor->parameterRequiresGrad;
                made->requiresGrad = recipe.tensor->requiresGrad;
            }
            if (made->stride.size() != made->shape.size()) {
                made->stride = QVector<qint64>(made->shape.size(), 1);
                for (qsizetype d = made->shape.size() - 2; d >= 0; --d)
                    made->stride[d] = made->stride[d + 1] * std::max<qint64>(made->shape[d + 1], 1);
            }
            m_computed.insert(storage, {&entry, recipe.dtype, storage->numel});
            tensor = made;
        }
        m_tensors.push_back(tensor);
        m_dict->items.push_back({m_arena.make<PyString>(entry.key), const_cast<PyTensor*>(tensor)});
    }
    addExtraStatesBefore(repaired.entries.size());
}

const Checkpoint& OutputPlan::checkpointOf(const PyStorage* storage) const
{
    const Checkpoint* checkpoint = m_fromTarget.value(storage, nullptr);
    return checkpoint ? *checkpoint : m_source;
}

qint64 OutputPlan::storageNumel(const PyStorage* storage, DType dtype) const
{
    if (const auto it = m_computed.constFind(storage); it != m_computed.constEnd())
        return it->numel;
    const int elementSize = dtypeElementSize(dtype);
    if (elementSize <= 0)
        throw FormatError(m_source.path() + QLatin1String(": storage ") + storage->key + QLatin1String(": unknown dtype"));
    return checkpointOf(storage).bytesOf(storage).size() / elementSize;
}

OutputPlan::Bytes OutputPlan::storageBytes(const PyStorage* storage, DType dtype, TensorEngine** engine) const
{
    if (const auto it = m_computed.constFind(storage); it != m_computed.constEnd())
        return compute(*it->entry, engine);
    const Checkpoint& checkpoint = checkpointOf(storage);
    Bytes bytes;
    const QByteArrayView all = checkpoint.bytesOf(storage);
    const int elementSize = std::max(dtypeElementSize(dtype), 1);
    // A storage is written whole, as torch.save does; a trailing partial element cannot be expressed.
    const QByteArrayView whole = all.first(all.size() / elementSize * elementSize);
    if (swapsBytes(checkpoint) && elementSize > 1) {
        bytes.owned = toLittleEndian(whole, dtype);
        bytes.view = bytes.owned;
    } else {
        bytes.view = whole;
        bytes.fileMapped = true; // every Checkpoint maps its files read-only and shared
        if (const StorageBytes* where = checkpoint.storageBytes(storage)) {
            bytes.checkpoint = &checkpoint;
            bytes.file = where->file;
            bytes.fileOffset = where->offset;
        }
    }
    return bytes;
}

OutputPlan::Bytes OutputPlan::tensorBytes(int index, TensorEngine** engine) const
{
    const PyTensor* tensor = m_tensors.at(index);
    const RepairedEntry& entry = m_repaired.entries.at(index);
    if (tensor->storage && m_computed.contains(tensor->storage))
        return compute(entry, engine);
    return copyAsContiguous(checkpointOf(tensor->storage), *tensor, entry.key, engine);
}

OutputPlan::Bytes OutputPlan::copyAsContiguous(const Checkpoint& checkpoint, const PyTensor& tensor, const QString& key,
                                               TensorEngine** engine) const
{
    const TensorView view = viewOf(checkpoint, tensor, key);
    Bytes bytes;
    if (view.isContiguous()) {
        const int elementSize = dtypeElementSize(view.dtype);
        const QByteArrayView part(reinterpret_cast<const char*>(view.data) + view.storageOffset * elementSize,
                                  view.numel() * elementSize);
        if (view.bigEndian) {
            bytes.owned = toLittleEndian(part, view.dtype);
            bytes.view = bytes.owned;
        } else {
            bytes.view = part;
            bytes.fileMapped = true;
        }
        return bytes;
    }
    TensorJob job;
    job.input = view;
    job.outDtype = view.dtype;
    job.outShape = view.shape;
    QString error;
    if (requireEngine(engine).computeTensor(job, &bytes.owned, &error) != EngineStatus::Done)
        throw FormatError(checkpoint.path() + QLatin1String(": ") + key + QLatin1String(": ") + error);
    bytes.view = bytes.owned;
    return bytes;
}

OutputPlan::Bytes OutputPlan::compute(const RepairedEntry& entry, TensorEngine** engine) const
{
    const TensorJob job = recipeJob(entry, m_source, m_target, viewOf);
    Bytes bytes;
    QString error;
    if (requireEngine(engine).computeTensor(job, &bytes.owned, &error) != EngineStatus::Done)
        throw FormatError(m_source.path() + QLatin1String(": ") + entry.key + QLatin1String(": ") + error);
    bytes.view = bytes.owned;
    return bytes;
}

} // namespace statescope
