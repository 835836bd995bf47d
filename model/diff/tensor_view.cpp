#include "tensor_view.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/pyobject.h"
#include "formats/format_error.h"

namespace statescope {

TensorView tensorViewOf(const Checkpoint& checkpoint, const PyTensor& tensor, const QString& key)
{
    const QString where = checkpoint.path() + QLatin1String(": ") + key + QLatin1String(": ");
    if (tensor.layout != QLatin1String("strided"))
        throw FormatError(where + QLatin1String("a ") + tensor.layout + QLatin1String(" tensor has no values to compare"));
    if (!tensor.storage)
        throw FormatError(where + QLatin1String("the tensor has no storage (a meta tensor?)"));
    if (tensor.shape.size() != tensor.stride.size())
        throw FormatError(where + QLatin1String("shape and stride have different lengths"));
    const int elementSize = dtypeElementSize(tensor.dtype);
    if (tensor.dtype == DType::Unknown || elementSize <= 0)
        throw FormatError(where + QLatin1String("unknown dtype"));

    TensorView view;
    // bytesOf() throws a FormatError naming the record for compressed or missing bytes.
    const QByteArrayView bytes = checkpoint.bytesOf(tensor.storage);
    view.data = reinterpret_cast<const uchar*>(bytes.data());
    view.storageBytes = bytes.size();
    view.dtype = tensor.dtype;
    view.shape = tensor.shape;
    view.stride = tensor.stride;
    view.storageOffset = tensor.storageOffset;
    view.bigEndian = checkpoint.byteOrder() == QLatin1String("big");
    // Every Checkpoint reaches its tensor bytes through MappedFile, a read-only shared mapping of the file.
    view.fileMapped = true;

    for (int i = 0; i < view.shape.size(); ++i) {
        if (view.shape[i] < 0 || view.stride[i] < 0)
            throw FormatError(where + QLatin1String("negative size or stride"));
    }
    if (view.numel() > 0) {
        const qint64 extent = tensor.storageExtent();
        const qint64 available = view.storageBytes / elementSize;
        if (view.storageOffset < 0 || view.storageOffset > available || extent > available - view.storageOffset) {
            throw FormatError(where + QLatin1String("the tensor needs elements ") + QString::number(view.storageOffset) +
                              QLatin1String("..") + QString::number(view.storageOffset + extent) +
                              QLatin1String(" but ") + tensor.storage->key + QLatin1String(" holds ") +
                              QString::number(available));
        }
    }
    return view;
}

} // namespace statescope
