#include "checkpoint.h"

#include "formats/format_error.h"
#include "formats/mapped_file.h"

#include <QSet>

namespace statescope {

QString formatName(CheckpointFormat format)
{
    switch (format) {
    case CheckpointFormat::TorchZip: return QStringLiteral("torch-zip");
    case CheckpointFormat::TorchLegacy:
    case CheckpointFormat::TorchLegacyTar: return QStringLiteral("torch-legacy");
    case CheckpointFormat::SafeTensors: return QStringLiteral("safetensors");
    case CheckpointFormat::TorchScript: return QStringLiteral("torchscript");
    case CheckpointFormat::TorchExport: return QStringLiteral("torch-export");
    case CheckpointFormat::Sharded: return QStringLiteral("sharded");
    }
    return {};
}

bool formatHasContainer(CheckpointFormat format)
{
    return format == CheckpointFormat::TorchZip || format == CheckpointFormat::TorchLegacy ||
           format == CheckpointFormat::TorchLegacyTar;
}

Checkpoint::Checkpoint(QString path, CheckpointFormat format) : m_path(std::move(path)), m_format(format) {}

Checkpoint::~Checkpoint() = default;

const StorageBytes* Checkpoint::storageBytes(const PyStorage* storage) const
{
    const auto it = m_storageBytes.constFind(storage);
    return it == m_storageBytes.constEnd() ? nullptr : &*it;
}

QByteArrayView Checkpoint::bytesOf(const PyStorage* storage) const
{
    const StorageBytes* where = storageBytes(storage);
    if (!where)
        throw FormatError(m_path + QLatin1String(": storage ") + storage->key + QLatin1String(" has no bytes in the file"));
    if (where->compressed)
        throw FormatError(m_path + QLatin1String(": ") + where->record + QLatin1String(" is compressed"));
    return file(where->file).slice(where->offset, where->size, m_path + QLatin1String(": ") + where->record);
}

int Checkpoint::addFile(std::unique_ptr<MappedFile> file)
{
    m_files.push_back(std::move(file));
    return static_cast<int>(m_files.size()) - 1;
}

void Checkpoint::addPickle(PickleProfile profile)
{
    QSet<QString> seen(m_globals.cbegin(), m_globals.cend());
    for (const auto& g : profile.globals) {
        if (!seen.contains(g.first)) {
            seen.insert(g.first);
            m_globals.push_back(g.first);
        }
    }
    m_pickles.push_back(std::move(profile));
}

void Checkpoint::addStorage(const PyStorage* storage, const StorageBytes& bytes)
{
    if (!m_storageBytes.contains(storage))
        m_storageOrder.push_back(storage);
    m_storageBytes.insert(storage, bytes);
}

} // namespace statescope
