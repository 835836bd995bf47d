#include "torch_writer.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/state_dict.h"
#include "export/atomic_output.h"
#include "export/output_plan.h"
#include "export/pickle_writer.h"
#include "export/source_file.h"
#include "export/zip_writer.h"
#include "formats/format_error.h"

#include <QCryptographicHash>
#include <QtEndian>

#include <map>
#include <memory>

namespace statescope {

namespace {

// torch 2.x's PyTorchStreamWriter records a 40-digit id that tells saves apart; no loader reads it. Ours is
// derived from the content (a SHA-1 of data.pkl, and the storages' total size), so equal inputs give equal
// files.
QByteArray serializationId(const QByteArray& pickle, qint64 storageBytes)
{
    const QByteArray digest = QCryptographicHash::hash(pickle, QCryptographicHash::Sha1);
    return QByteArray::number(qFromBigEndian<quint64>(digest.constData())).rightJustified(20, '0') +
           QByteArray::number(quint64(storageBytes)).rightJustified(20, '0');
}

// Input files opened once each for copying, by (checkpoint, file index).
class SourceFiles
{
public:
    const SourceFile& of(const Checkpoint& checkpoint, int file)
    {
        std::unique_ptr<SourceFile>& slot = m_files[{&checkpoint, file}];
        if (!slot)
            slot = std::make_unique<SourceFile>(checkpoint.file(file));
        return *slot;
    }

private:
    std::map<std::pair<const Checkpoint*, int>, std::unique_ptr<SourceFile>> m_files;
};

} // namespace

ExportReport writeTorchArchive(const Checkpoint& source, const StateDict& selected, const OutputPlan& plan,
                               const QString& out, bool stateDictOnly, bool forceZip64, const ExportProgress& progress,
                               const std::atomic<bool>* cancel)
{
    ExportReport report;
    report.path = out;
    // Loaded only when a recipe needs tensor arithmetic: a rename or strip never starts LibTorch.
    TensorEngine* engine = nullptr;

    PickleWriter pickler([&plan](const PyStorage* storage, DType dtype) { return plan.storageNumel(storage, dtype); });
    const PyObject* root = plan.stateDict();
    if (!stateDictOnly && source.root()) {
        root = source.root();
        pickler.replace(selected.object, plan.stateDict());
    }
    QByteArray pickle;
    try {
        pickle = pickler.write(root);
    } catch (const FormatError& e) {
        throw FormatError(source.path() + QLatin1String(": cannot write data.pkl: ") + e.message());
    }
    report.replacedGlobals = pickler.replacedGlobals();

    // torch 2.x's layout (docs/torch-versions.md), which torch 1.13 reads too: data.pkl, .format_version,
    // .storage_alignment, byteorder, the storages in the order data.pkl first names them (1.13 sorted them
    // as strings: "0", "1", "10", "2"), version, .data/serialization_id. A source written by torch 2.x lies
    // in the same order, so the copy reads it front to back.
    QVector<const PickledStorage*> storages;
    qint64 total = 0;
    for (const PickledStorage& s : pickler.storages()) {
        storages.push_back(&s);
        total += s.numel * dtypeElementSize(s.dtype);
    }

    AtomicOutput output(out);
    ZipWriter zip(output, QStringLiteral("archive"), forceZip64);
    const auto fail = [&](const QString& what) {
        throw FormatError(output.error().isEmpty() ? out + QLatin1String(": ") + what : output.error());
    };
    if (!zip.addRecord(QStringLiteral("data.pkl"), pickle))
        fail(QStringLiteral("writing data.pkl failed"));
    // 1.13 ignores these three records. The bytes are little-endian whatever the source.
    if (!zip.addRecord(QStringLiteral(".format_version"), QByteArrayView("1")) ||
        !zip.addRecord(QStringLiteral(".storage_alignment"), QByteArrayView("64")) ||
        !zip.addRecord(QStringLiteral("byteorder"), QByteArrayView("little")))
        fail(QStringLiteral("writing the format records failed"));

    SourceFiles files;
    qint64 done = 0;
    for (const PickledStorage* s : storages) {
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            report.cancelled = true;
            return report; // AtomicOutput removes the temp file
        }
        const OutputPlan::Bytes bytes = plan.storageBytes(s->storage, s->dtype, &engine);
        const qint64 size = bytes.view.size();
        if (size != s->numel * dtypeElementSize(s->dtype))
            throw FormatError(out + QLatin1String(": storage ") + s->key + QLatin1String(" has ") + QString::number(size) +
                              QLatin1String(" bytes, expected ") + QString::number(s->numel * dtypeElementSize(s->dtype)));
        const QString name = QLatin1String("data/") + s->key;
        bool ok = false;
        if (bytes.fileMapped && bytes.checkpoint) {
            const SourceFile& file = files.of(*bytes.checkpoint, bytes.file);
            const std::optional<quint32> crc = file.recordCrc(bytes.fileOffset, size);
            report.recordsReused += crc ? 1 : 0;
            ok = zip.addMappedRecord(name, bytes.view, file.fd(), bytes.fileOffset, crc);
        } else if (bytes.fileMapped) {
            ok = zip.addMappedRecord(name, bytes.view, -1, 0, std::nullopt);
        } else {
            ok = zip.addRecord(name, bytes.view);
        }
        if (!ok)
            fail(QLatin1String("writing ") + name + QLatin1String(" failed"));
        done += size;
        if (progress)
            progress(done, total);
    }
    if (!zip.finish(serializationId(pickle, total)))
        fail(QStringLiteral("finishing the archive failed"));
    output.commit();
    report.bytesWritten = output.bytesWritten();
    report.storagesWritten = int(pickler.storages().size());
    return report;
}

} // namespace statescope
