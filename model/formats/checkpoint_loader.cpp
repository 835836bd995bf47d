#include "checkpoint_loader.h"

#include "checkpoint/checkpoint.h"
#include "format_error.h"
#include "mapped_file.h"
#include "readers.h"
#include "zip_archive.h"

#include <QtEndian>

namespace statescope {

namespace {

// Deeper object trees than this are not checkpoints but attempts to exhaust the stack of whoever walks them.
constexpr int kMaxNesting = 1000;

QString describeStart(QByteArrayView bytes)
{
    QString hex;
    for (qsizetype i = 0; i < std::min<qsizetype>(bytes.size(), 8); ++i)
        hex += QString::number(static_cast<quint8>(bytes[i]), 16).rightJustified(2, QLatin1Char('0')) + QLatin1Char(' ');
    return hex.trimmed();
}

bool looksLikeSafetensors(QByteArrayView bytes)
{
    if (bytes.size() < 10)
        return false;
    const quint64 n = qFromLittleEndian<quint64>(bytes.data());
    // The JSON header starts right after the length; a header that claims to run past the file still sniffs
    // as safetensors so the reader can say exactly what is wrong with it.
    return bytes[8] == '{' && n >= 2;
}

bool looksLikeShardIndex(QByteArrayView bytes)
{
    const QByteArrayView head = bytes.first(std::min<qsizetype>(bytes.size(), 4096)).trimmed();
    return head.startsWith('{') && bytes.size() < (qsizetype(64) << 20) &&
           QByteArrayView(bytes).indexOf(QByteArrayView("\"weight_map\"")) >= 0;
}

} // namespace

CheckpointFormat sniffFormat(const MappedFile& file)
{
    const QByteArrayView bytes = file.bytes();
    if (bytes.isEmpty())
        throw FormatError(file.path() + QLatin1String(": empty file"));
    if (bytes.startsWith("PK\x03\x04") || bytes.startsWith("PK\x05\x06")) {
        const ZipArchive& zip = file.zipDirectory();
        for (const ZipEntry& entry : zip.entries()) {
            if (entry.name.endsWith(QLatin1String("/constants.pkl")))
                return CheckpointFormat::TorchScript;
            // torch.export.save's PT2 archive names itself in a record of its own; torch 2.6 and older wrote
            // serialized_exported_program.json at the top instead (refused by the reader, by name).
            if ((entry.name.endsWith(QLatin1String("/archive_format")) && entry.name.count(QLatin1Char('/')) == 1) ||
                entry.name == QLatin1String("serialized_exported_program.json"))
                return CheckpointFormat::TorchExport;
        }
        return CheckpointFormat::TorchZip;
    }
    if (looksLikeSafetensors(bytes))
        return CheckpointFormat::SafeTensors;
    if (bytes.size() >= 262 && bytes.sliced(257, 5) == "ustar")
        return CheckpointFormat::TorchLegacyTar;
    if (static_cast<quint8>(bytes[0]) == 0x80)
        return CheckpointFormat::TorchLegacy;
    if (looksLikeShardIndex(bytes))
        return CheckpointFormat::Sharded;
    throw FormatError(file.path() + QLatin1String(": unknown content (starts with ") + describeStart(bytes) +
                      QLatin1String("): not a torch zip, legacy torch, TorchScript, torch.export, safetensors or shard index file"));
}

std::shared_ptr<const Checkpoint> openCheckpoint(const QString& path)
{
    auto mapped = std::make_unique<MappedFile>(path);
    const CheckpointFormat format = sniffFormat(*mapped);
    auto checkpoint = std::make_shared<Checkpoint>(path, format);
    const int file = checkpoint->addFile(std::move(mapped));
    PyObject* root = nullptr;
    switch (format) {
    case CheckpointFormat::TorchZip: root = readTorchZip(*checkpoint, file); break;
    case CheckpointFormat::TorchScript: root = readTorchScript(*checkpoint, file); break;
    case CheckpointFormat::TorchExport: root = readTorchExport(*checkpoint, file); break;
    case CheckpointFormat::TorchLegacy: root = readTorchLegacy(*checkpoint, file); break;
    case CheckpointFormat::TorchLegacyTar: root = readTorchLegacyTar(*checkpoint, file); break;
    case CheckpointFormat::SafeTensors: root = readSafetensors(*checkpoint, file); break;
    case CheckpointFormat::Sharded: root = readShardIndex(*checkpoint, file); break;
    }
    if (nestingDepth(root) > kMaxNesting)
        throw FormatError(path + QLatin1String(": objects nested deeper than ") + QString::number(kMaxNesting) +
                          QLatin1String(" levels"));
    checkpoint->setRoot(root);
    return checkpoint;
}

} // namespace statescope
