#include "torch_zip_reader.h"

#include "checkpoint/checkpoint.h"
#include "format_error.h"
#include "mapped_file.h"
#include "pickle_calls.h"
#include "pickle_reader.h"
#include "readers.h"
#include "zip_archive.h"

namespace statescope {

namespace {
// data.pkl of a 100k-tensor checkpoint is ~10 MB; anything near this bound is not a checkpoint's pickle.
constexpr qint64 kMaxPickleBytes = qint64(2) << 30;
} // namespace

QString zipArchiveFolder(const ZipArchive& zip, const QString& path)
{
    // torch's reader takes the folder from the first entry; every record it looks up lives under it.
    if (zip.entries().isEmpty())
        throw FormatError(path + QLatin1String(": empty zip archive"));
    const QString& first = zip.entries().front().name;
    const qsizetype slash = first.indexOf(QLatin1Char('/'));
    if (slash <= 0)
        throw FormatError(path + QLatin1String(": zip entry ") + first + QLatin1String(" is not inside an archive folder"));
    return first.left(slash);
}

PyObject* readZipPickle(Checkpoint& checkpoint, int file, const ZipArchive& zip, const QString& folder,
                        const QString& record)
{
    const QString& path = checkpoint.file(file).path();
    const ZipEntry* entry = zip.find(folder + QLatin1Char('/') + record);
    if (!entry)
        throw FormatError(path + QLatin1String(": zip archive has no ") + record + QLatin1String(" record"));

    // Stored pickles are read in place from the mapping; compressed ones are inflated once.
    QByteArray inflated;
    QByteArrayView bytes;
    if (entry->stored) {
        bytes = checkpoint.file(file).slice(entry->dataOffset, entry->size, path + QLatin1String(": ") + record);
    } else {
        inflated = zip.read(*entry, kMaxPickleBytes);
        bytes = inflated;
    }

    QHash<QString, PyStorage*> storages;
    PickleReader reader(checkpoint.arena(), bytes, path + QLatin1String(": ") + record);
    reader.setPersistentLoad([&](const PyObject* pid) -> PyObject* {
        PyStorage* parsed = storageFromPersistentId(checkpoint.arena(), pid);
        // Views of one storage repeat its persistent id: share one object so sharing stays visible.
        if (PyStorage* known = storages.value(parsed->key))
            return known;
        const QString name = QLatin1String("data/") + parsed->key;
        const ZipEntry* data = zip.find(folder + QLatin1Char('/') + name);
        if (!data)
            throw FormatError(QLatin1String("storage ") + parsed->key + QLatin1String(" has no ") + name + QLatin1String(" record"));
        const int elementSize = parsed->dtype == DType::Unknown ? 1 : dtypeElementSize(parsed->dtype);
        const qint64 needed = parsed->numel > std::numeric_limits<qint64>::max() / elementSize
                                  ? std::numeric_limits<qint64>::max()
                                  : parsed->numel * elementSize;
        if (data->size < needed)
            throw FormatError(name + QLatin1String(" is ") + QString::number(data->size) + QLatin1String(" bytes but the pickle says ") +
                              QString::number(needed));
        StorageBytes where;
        where.file = file;
        where.offset = data->dataOffset;
        where.size = needed;
        where.record = name;
        where.compressed = !data->stored;
        checkpoint.addStorage(parsed, where);
        storages.insert(parsed->key, parsed);
        return parsed;
    });
    PyObject* root = reader.load();
    checkpoint.addPickle(reader.profile(record));
    return root;
}

PyObject* readTorchZip(Checkpoint& checkpoint, int file)
{
    const MappedFile& mapped = checkpoint.file(file);
    const ZipArchive& zip = mapped.zipDirectory();
    const QString folder = zipArchiveFolder(zip, mapped.path());
    if (const ZipEntry* order = zip.find(folder + QLatin1String("/byteorder"))) {
        const QString value = QString::fromLatin1(zip.read(*order, 16)).trimmed();
        if (value != QLatin1String("little") && value != QLatin1String("big"))
            throw FormatError(mapped.path() + QLatin1String(": byteorder record says '") + value + QLatin1Char('\''));
        checkpoint.setByteOrder(value);
    }
    return readZipPickle(checkpoint, file, zip, folder, QStringLiteral("data.pkl"));
}

} // namespace statescope
