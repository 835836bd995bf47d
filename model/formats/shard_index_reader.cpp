#include "readers.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/state_dict.h"
#include "checkpoint_loader.h"
#include "format_error.h"
#include "mapped_file.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>

namespace statescope {

namespace {

// Same bound as the sniffer: a weight_map of 100k tensors is a few MB of JSON.
constexpr qint64 kMaxIndexBytes = qint64(64) << 20;

[[noreturn]] void fail(const QString& path, const QString& what)
{
    throw FormatError(path + QLatin1String(": ") + what);
}

// weight_map -> shard file, with every shard name checked to stay inside the index's folder: an index is as
// untrusted as a checkpoint and must not make us open /etc/... or ../../elsewhere.
QHash<QString, QString> readWeightMap(const MappedFile& index)
{
    const QString& path = index.path();
    if (index.size() > kMaxIndexBytes)
        fail(path, QLatin1String("shard index is ") + QString::number(index.size()) +
                       QLatin1String(" bytes, more than the ") + QString::number(kMaxIndexBytes) +
                       QLatin1String("-byte limit"));
    QJsonParseError error;
    const QByteArrayView bytes = index.bytes();
    const QJsonDocument document =
        QJsonDocument::fromJson(QByteArray::fromRawData(bytes.data(), bytes.size()), &error);
    if (error.error != QJsonParseError::NoError)
        fail(path, QLatin1String("shard index is not valid JSON: ") + error.errorString() +
                       QLatin1String(" at byte ") + QString::number(error.offset));
    if (!document.isObject())
        fail(path, QStringLiteral("shard index is not a JSON object"));
    const QJsonValue map = document.object().value(QLatin1String("weight_map"));
    if (!map.isObject())
        fail(path, QStringLiteral("shard index has no weight_map object"));
    const QJsonObject object = map.toObject();
    if (object.isEmpty())
        fail(path, QStringLiteral("weight_map is empty"));

    QHash<QString, QString> weightMap;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (!it.value().isString())
            fail(path, QLatin1String("weight_map entry '") + it.key() +
                           QLatin1String("' is not a shard file name"));
        const QString shard = it.value().toString();
        const bool escapes = shard.isEmpty() || QDir::isAbsolutePath(shard) ||
                             shard.split(QLatin1Char('/')).contains(QLatin1String(".."));
        if (escapes)
            fail(path, QLatin1String("weight_map puts '") + it.key() + QLatin1String("' in shard '") + shard +
                           QLatin1String("', which is not a file inside the index's folder"));
        weightMap.insert(it.key(), shard);
    }
    return weightMap;
}

PyObject* readShard(Checkpoint& checkpoint, int file, const QString& shardName, const QString& indexPath)
{
    switch (sniffFormat(checkpoint.file(file))) {
    case CheckpointFormat::SafeTensors:
        return readSafetensors(checkpoint, file);
    case CheckpointFormat::TorchZip:
        return readTorchZip(checkpoint, file);
    case CheckpointFormat::TorchLegacy:
        return readTorchLegacy(checkpoint, file);
    case CheckpointFormat::TorchLegacyTar:
        return readTorchLegacyTar(checkpoint, file);
    case CheckpointFormat::TorchScript:
    case CheckpointFormat::TorchExport:
    case CheckpointFormat::Sharded:
        break;
    }
    fail(indexPath,
         QLatin1String("shard '") + shardName +
             QLatin1String("' is a TorchScript or torch.export archive or another shard index, not a file of tensors"));
}

// The tensors of one shard: its best state dict by the rules every other file follows. findStateDicts looks
// at the checkpoint's root, so the shard's root stands there while it is searched.
QVector<StateDictEntry> shardEntries(Checkpoint& checkpoint, PyObject* shardRoot, const PyDict** metadata)
{
    checkpoint.setRoot(shardRoot);
    const QVector<StateDict> candidates = findStateDicts(checkpoint);
    checkpoint.setRoot(nullptr);
    if (candidates.isEmpty())
        return {};
    *metadata = candidates.front().metadata;
    return candidates.front().entries;
}

void mergeModuleMetadata(PyArena& arena, PyDict* root, const PyDict* shardMetadata, PyDict** merged)
{
    if (!shardMetadata)
        return;
    if (!*merged) {
        // Shards saved from state_dict() carry _metadata (module versions decide BatchNorm's verdict): keep
        // it on the merged dict the way torch.load gives it, an OrderedDict with {'_metadata': ...} as state.
        *merged = arena.make<PyDict>();
        (*merged)->className = QStringLiteral("collections.OrderedDict");
        auto* state = arena.make<PyDict>();
        state->items.push_back({arena.make<PyString>(QStringLiteral("_metadata")), *merged});
        root->className = QStringLiteral("collections.OrderedDict");
        root->state = state;
    }
    for (const auto& [key, value] : shardMetadata->items) {
        const auto* name = key->as<PyString>();
        const QString index = name ? QLatin1String("s:") + name->value : QString();
        if (index.isNull() || (*merged)->keyIndex.contains(index))
            continue;
        (*merged)->keyIndex.insert(index, int((*merged)->items.size()));
        (*merged)->items.push_back({key, value});
    }
}

} // namespace

// Shards are merged in the order of their sorted file names, as transformers' get_checkpoint_shard_files
// loads them (model-00001-of-00003 first); weight_map itself is written with sorted keys, so its order says
// nothing.
PyObject* readShardIndex(Checkpoint& checkpoint, int file)
{
    const QString indexPath = checkpoint.file(file).path();
    const QHash<QString, QString> weightMap = readWeightMap(checkpoint.file(file));
    QMap<QString, QStringList> shards; // shard name -> tensors weight_map puts there, sorted by shard name
    for (auto it = weightMap.constBegin(); it != weightMap.constEnd(); ++it)
        shards[it.value()].push_back(it.key());

    const QDir folder = QFileInfo(indexPath).absoluteDir();
    PyArena& arena = checkpoint.arena();
    auto* root = arena.make<PyDict>();
    PyDict* mergedMetadata = nullptr;
    QMap<QString, QString> textMetadata;
    for (auto shard = shards.constBegin(); shard != shards.constEnd(); ++shard) {
        const QString shardPath = folder.filePath(shard.key());
        if (!QFileInfo(shardPath).isFile())
            fail(indexPath, QLatin1String("weight_map names shard '") + shard.key() +
                                QLatin1String("' but ") + shardPath + QLatin1String(" does not exist"));
        const int shardFile = checkpoint.addFile(std::make_unique<MappedFile>(shardPath));
        PyObject* shardRoot = readShard(checkpoint, shardFile, shard.key(), indexPath);
        const PyDict* shardMetadata = nullptr;
        const QVector<StateDictEntry> entries = shardEntries(checkpoint, shardRoot, &shardMetadata);

        QSet<QString> found;
        for (const StateDictEntry& entry : entries) {
            const auto mapped = weightMap.constFind(entry.key);
            if (mapped == weightMap.constEnd())
                fail(indexPath, QLatin1String("tensor '") + entry.key + QLatin1String("' is in shard '") +
                                    shard.key() + QLatin1String("' but not in weight_map"));
            if (*mapped != shard.key())
                fail(indexPath, QLatin1String("tensor '") + entry.key + QLatin1String("' is in shard '") +
                                    shard.key() + QLatin1String("' but weight_map puts it in '") + *mapped +
                                    QLatin1Char('\''));
            found.insert(entry.key);
            root->keyIndex.insert(QLatin1String("s:") + entry.key, int(root->items.size()));
            // The tensor lives in this checkpoint's arena; state-dict discovery only hands it out as const.
            root->items.push_back({arena.make<PyString>(entry.key), const_cast<PyTensor*>(entry.tensor)});
        }
        QStringList listedHere = shard.value();
        listedHere.sort(); // report the first missing tensor by name, not by hash order
        for (const QString& listed : std::as_const(listedHere)) {
            if (!found.contains(listed))
                fail(indexPath, QLatin1String("weight_map puts tensor '") + listed +
                                    QLatin1String("' in shard '") + shard.key() +
                                    QLatin1String("', which has no such tensor"));
        }
        mergeModuleMetadata(arena, root, shardMetadata, &mergedMetadata);
        // Each safetensors shard replaces the checkpoint's text metadata: keep the union, first shard
        // winning.
        for (auto it = checkpoint.textMetadata().constBegin(); it != checkpoint.textMetadata().constEnd();
             ++it) {
            if (!textMetadata.contains(it.key()))
                textMetadata.insert(it.key(), it.value());
        }
    }
    checkpoint.setTextMetadata(textMetadata);
    return root;
}

} // namespace statescope
