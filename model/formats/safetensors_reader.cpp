#include "readers.h"

#include "checkpoint/checkpoint.h"
#include "format_error.h"
#include "mapped_file.h"
#include "safetensors_header.h"

#include <limits>

namespace statescope {

namespace {

// torch's contiguous strides: each dimension steps over the product of the later sizes, counting a size of 0
// as 1 (torch.empty(2, 0, 3).stride() == (3, 3, 1)), so the strides match what torch reports for the file.
QVector<qint64> contiguousStrides(const SafetensorsEntry& entry, const QString& path)
{
    QVector<qint64> stride(entry.shape.size());
    qint64 step = 1;
    for (qsizetype i = entry.shape.size() - 1; i >= 0; --i) {
        stride[i] = step;
        const qint64 size = std::max<qint64>(entry.shape[i], 1);
        if (i > 0 && step > std::numeric_limits<qint64>::max() / size)
            throw FormatError(path + QLatin1String(": tensor '") + entry.name +
                              QLatin1String("': its shape needs strides beyond 64 bits"));
        step *= size;
    }
    return stride;
}

} // namespace

// safetensors has no pickle: the tree is synthesised as the plain dict of tensors safetensors.torch.load_file
// returns, in file order, each tensor owning its byte range as a storage of its own.
PyObject* readSafetensors(Checkpoint& checkpoint, int file)
{
    const MappedFile& mapped = checkpoint.file(file);
    const SafetensorsHeader header = parseSafetensorsHeader(mapped.bytes(), mapped.path());
    PyArena& arena = checkpoint.arena();
    auto* root = arena.make<PyDict>();
    for (const SafetensorsEntry& entry : header.tensors) {
        auto* storage = arena.make<PyStorage>();
        storage->key = entry.name;
        storage->location = QStringLiteral("cpu");
        storage->storageClass = storageClassForDtype(entry.dtype);
        storage->dtype = entry.dtype;
        storage->numel = entry.numel;

        auto* tensor = arena.make<PyTensor>();
        tensor->rebuildFunction = QStringLiteral("safetensors");
        tensor->dtype = entry.dtype;
        tensor->shape = entry.shape;
        tensor->stride = contiguousStrides(entry, mapped.path());
        tensor->storageOffset = 0;
        tensor->storage = storage;

        StorageBytes where;
        where.file = file;
        where.offset = header.dataStart + entry.begin;
        where.size = entry.end - entry.begin;
        where.record = entry.name;
        checkpoint.addStorage(storage, where);

        root->keyIndex.insert(QLatin1String("s:") + entry.name, int(root->items.size()));
        root->items.push_back({arena.make<PyString>(entry.name), tensor});
    }
    checkpoint.setTextMetadata(header.metadata);
    return root;
}

} // namespace statescope
