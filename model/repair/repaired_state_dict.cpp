#include "repaired_state_dict.h"

namespace statescope {

namespace {

QVector<qint64> contiguousStrides(const QVector<qint64>& shape)
{
    QVector<qint64> strides(shape.size(), 1);
    for (qsizetype i = shape.size() - 2; i >= 0; --i)
        strides[i] = strides[i + 1] * std::max<qint64>(shape[i + 1], 1);
    return strides;
}

} // namespace

void RepairedStateDict::append(RepairedEntry entry)
{
    const PyTensor* viewTensor = entry.recipe.tensor;
    // A plain copy keeps the original tensor (storage, offset, strides all still true); anything else gets a
    // description of what will be written.
    if (!entry.recipe.isPlainCopy() || !viewTensor) {
        auto* made = arena.make<PyTensor>();
        made->rebuildFunction = QStringLiteral("torch._utils._rebuild_tensor_v2");
        made->dtype = entry.recipe.dtype;
        made->shape = entry.recipe.shape;
        made->stride = contiguousStrides(made->shape);
        if (viewTensor) {
            made->isParameter = viewTensor->isParameter;
            made->requiresGrad = viewTensor->requiresGrad;
        }
        viewTensor = made;
    }
    view.entries.push_back({entry.key, viewTensor});
    entries.push_back(std::move(entry));
}

void RepairedStateDict::appendExtraState(const QString& key, const QString& sourceKey, const PyObject* value)
{
    const int position = int(entries.size());
    extraStates.push_back({key, sourceKey, value, position});
    view.extraStates.push_back({key, value, position});
}

std::shared_ptr<const RepairedStateDict> identityRepair(const StateDict& source)
{
    auto repaired = std::make_shared<RepairedStateDict>();
    repaired->view.path = source.path;
    repaired->view.object = source.object;
    repaired->view.metadata = source.metadata;
    forEachKey(source, [&repaired](const QString& key, const PyTensor* tensor, const PyObject* extraValue) {
        if (!tensor) {
            repaired->appendExtraState(key, key, extraValue);
            return;
        }
        RepairedEntry entry;
        entry.key = key;
        entry.sourceKey = key;
        entry.recipe.tensor = tensor;
        entry.recipe.dtype = tensor->dtype;
        entry.recipe.shape = tensor->shape;
        repaired->append(std::move(entry));
    });
    return repaired;
}

} // namespace statescope
