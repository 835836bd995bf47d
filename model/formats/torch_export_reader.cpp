#include "readers.h"

#include "checkpoint/checkpoint.h"
#include "format_error.h"
#include "mapped_file.h"
#include "torch_zip_reader.h"
#include "zip_archive.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <limits>

namespace statescope {

// A torch.export.save archive (".pt2", the PT2 archive of newer torches): models/<name>.json describes the exported
// program (graph, signature, module call graph), data/weights/<name>_weights_config.json lists every state
// dict entry with its tensor metadata and the raw storage record that holds its bytes. Everything is JSON
// and raw bytes: nothing is unpickled, imported or run. The state dict is rebuilt in the order the exported
// module's original model returns it, and the module tree (with each module's class) becomes the target
// model, as LibTorch's does for TorchScript.

namespace {

// Bounds on JSON records read whole: far above any real model's (a 70B model's model.json is a few MB).
constexpr qint64 kMaxJsonBytes = qint64(512) << 20;

// torch._export.serde.schema.ScalarType (the numbers torch writes in tensor_meta.dtype).
DType dtypeFromScalarType(int code)
{
    switch (code) {
    case 1: return DType::UInt8;
    case 2: return DType::Int8;
    case 3: return DType::Int16;
    case 4: return DType::Int32;
    case 5: return DType::Int64;
    case 6: return DType::Float16;
    case 7: return DType::Float32;
    case 8: return DType::Float64;
    case 9: return DType::Complex32;
    case 10: return DType::Complex64;
    case 11: return DType::Complex128;
    case 12: return DType::Bool;
    case 13: return DType::BFloat16;
    case 28: return DType::UInt16;
    case 29: return DType::Float8E4M3;
    case 30: return DType::Float8E5M2;
    case 31: return DType::Float8E4M3FnUz;
    case 32: return DType::Float8E5M2FnUz;
    case 33: return DType::Float8E8M0Fnu;
    case 34: return DType::UInt32;
    case 35: return DType::UInt64;
    default: return DType::Unknown;
    }
}

constexpr int kStridedLayout = 7; // torch._export.serde.schema.Layout.Strided

class ExportArchive
{
public:
    ExportArchive(Checkpoint& checkpoint, int file)
        : m_checkpoint(checkpoint), m_file(file), m_path(checkpoint.file(file).path()),
          m_zip(checkpoint.file(file).zipDirectory()), m_folder(folderOf(m_zip, m_path))
    {
    }

    PyObject* read()
    {
        const QByteArray format = readRecord(QStringLiteral("archive_format"), 64).trimmed();
        if (format != "pt2")
            fail(QLatin1String("archive_format says '") + QString::fromLatin1(format.left(32)) + QLatin1String("', not pt2"));
        const QString model = modelName();
        if (m_zip.find(record(QLatin1String("data/weights/") + model + QLatin1String(".pt"))))
            fail(QLatin1String("model '") + model + QLatin1String("' keeps its weights pickled in data/weights/") + model +
                 QLatin1String(".pt (an earlier PT2 layout), which StateScope does not read; re-save it with the "
                               "torch.export.save of a newer torch"));
        const QString program = QLatin1String("models/") + model + QLatin1String(".json");
        readProgram(parseJson(program, readRecord(program, kMaxJsonBytes)));
        const QString config = QLatin1String("data/weights/") + model + QLatin1String("_weights_config.json");
        const QByteArray configText = readRecord(config, kMaxJsonBytes);
        readWeights(parseJson(config, configText), configText);
        return buildStateDict();
    }

private:
    struct Weight
    {
        QString key;
        bool isParam = false;
        PyTensor* tensor = nullptr;
    };

    [[noreturn]] void fail(const QString& what) const { throw FormatError(m_path + QLatin1String(": ") + what); }

    static QString folderOf(const ZipArchive& zip, const QString& path)
    {
        if (zip.find(QStringLiteral("serialized_exported_program.json")))
            throw FormatError(path + QLatin1String(": a torch.export archive in the older layout (serialized_exported_program.json, its "
                                                   "weights pickled in serialized_state_dict.pt; torch 2.6 writes it), which StateScope "
                                                   "does not read; re-save it with the torch.export.save of a newer torch"));
        return zipArchiveFolder(zip, path);
    }

    QString record(const QString& name) const { return m_folder + QLatin1Char('/') + name; }

    QByteArray readRecord(const QString& name, qint64 limit) const
    {
        const ZipEntry* entry = m_zip.find(record(name));
        if (!entry)
            fail(QLatin1String("the archive has no ") + name + QLatin1String(" record"));
        if (entry->size > limit)
            fail(name + QLatin1String(" is ") + QString::number(entry->size) + QLatin1String(" bytes, more than ") +
                 QString::number(limit) + QLatin1String(" allowed"));
        return m_zip.read(*entry, limit);
    }

    QJsonObject parseJson(const QString& name, const QByteArray& text) const
    {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            fail(name + QLatin1String(" is not a JSON object (") + error.errorString() + QLatin1String(" at offset ") +
                 QString::number(error.offset) + QLatin1Char(')'));
        return doc.object();
    }

    // torch.export.save writes one model, "model"; an archive of several (torch._inductor packages) is read
    // for its "model" if it has one, else for the first.
    QString modelName() const
    {
        const QString prefix = record(QStringLiteral("models/"));
        QString first;
        for (const ZipEntry& entry : m_zip.entries()) {
            if (!entry.name.startsWith(prefix) || !entry.name.endsWith(QLatin1String(".json")))
                continue;
            const QString name = entry.name.mid(prefix.size()).chopped(5);
            if (name.contains(QLatin1Char('/')))
                continue;
            if (name == QLatin1String("model"))
                return name;
            if (first.isEmpty())
                first = name;
        }
        if (first.isEmpty())
            fail(QStringLiteral("a pt2 archive without models/*.json: no exported program to read"));
        return first;
    }

    // named_modules() order from the module call graph, each module's class from the graph nodes'
    // nn_module_stack ("L__self__,,__main__.Net;L__self__fc,fc,torch.nn.modules.linear.Linear").
    void readProgram(const QJsonObject& program)
    {
        const QJsonObject graphModule = program.value(QLatin1String("graph_module")).toObject();
        const QJsonArray nodes = graphModule.value(QLatin1String("graph")).toObject().value(QLatin1String("nodes")).toArray();
        for (const QJsonValue& node : nodes) {
            const QString stack = node.toObject().value(QLatin1String("metadata")).toObject()
                                      .value(QLatin1String("nn_module_stack")).toString();
            for (const QString& frame : stack.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
                const qsizetype first = frame.indexOf(QLatin1Char(','));
                const qsizetype last = frame.lastIndexOf(QLatin1Char(','));
                if (first < 0 || last <= first)
                    continue;
                const QString path = frame.mid(first + 1, last - first - 1);
                if (!m_types.contains(path))
                    m_types.insert(path, frame.mid(last + 1));
            }
        }
        m_modules << QString();
        m_moduleSet.insert(QString());
        for (const QJsonValue& entry : graphModule.value(QLatin1String("module_call_graph")).toArray()) {
            const QString fqn = entry.toObject().value(QLatin1String("fqn")).toString();
            if (!m_moduleSet.contains(fqn))
                addModule(fqn);
        }
    }

    void addModule(const QString& path)
    {
        // Ancestors first, so that the list stays a pre-order walk whatever the archive omitted.
        const qsizetype dot = path.lastIndexOf(QLatin1Char('.'));
        if (dot > 0 && !m_moduleSet.contains(path.left(dot)))
            addModule(path.left(dot));
        m_moduleSet.insert(path);
        m_modules << path;
    }

    static qint64 asInt(const QJsonValue& value, bool* ok)
    {
        const QJsonValue v = value.toObject().value(QLatin1String("as_int"));
        *ok = *ok && v.isDouble();
        return v.toInteger(-1);
    }

    // `config` is the weights config parsed, `text` the same record as read (for the order of its keys).
    void readWeights(const QJsonObject& config, const QByteArray& text)
    {
        const QJsonObject entries = config.value(QLatin1String("config")).toObject();
        // QJsonObject sorts its keys; the config's own order is the exported state dict's, kept by a raw scan.
        const QStringList keys = keysInFileOrder(entries, text);
        PyArena& arena = m_checkpoint.arena();
        QHash<QString, PyStorage*> storages;
        for (const QString& key : keys) {
            const QJsonObject payload = entries.value(key).toObject();
            const QString where = QLatin1String("weight ") + key;
            if (payload.value(QLatin1String("use_pickle")).toBool())
                fail(where + QLatin1String(" is a pickled tensor subclass (use_pickle), which StateScope does not read yet"));
            const QJsonObject meta = payload.value(QLatin1String("tensor_meta")).toObject();
            const DType dtype = dtypeFromScalarType(meta.value(QLatin1String("dtype")).toInt(-1));
            if (dtype == DType::Unknown)
                fail(where + QLatin1String(": unknown tensor_meta dtype ") + QString::number(meta.value(QLatin1String("dtype")).toInt(-1)));
            if (meta.value(QLatin1String("layout")).toInt(kStridedLayout) != kStridedLayout)
                fail(where + QLatin1String(": only strided tensors are read"));
            bool ok = true;
            auto* tensor = arena.make<PyTensor>();
            tensor->rebuildFunction = QStringLiteral("torch.export");
            tensor->dtype = dtype;
            for (const QJsonValue& s : meta.value(QLatin1String("sizes")).toArray())
                tensor->shape << asInt(s, &ok);
            for (const QJsonValue& s : meta.value(QLatin1String("strides")).toArray())
                tensor->stride << asInt(s, &ok);
            tensor->storageOffset = asInt(meta.value(QLatin1String("storage_offset")), &ok);
            if (!ok || tensor->shape.size() != tensor->stride.size() || tensor->storageOffset < 0)
                fail(where + QLatin1String(": sizes, strides and storage_offset must be concrete, matching integers"));
            for (qint64 v : tensor->shape) {
                if (v < 0)
                    fail(where + QLatin1String(": negative size"));
            }
            tensor->isParameter = payload.value(QLatin1String("is_param")).toBool();
            tensor->requiresGrad = false;
            tensor->parameterRequiresGrad = meta.value(QLatin1String("requires_grad")).toBool();

            const QString pathName = payload.value(QLatin1String("path_name")).toString();
            PyStorage* storage = storages.value(pathName);
            if (!storage) {
                storage = addStorage(pathName, dtype, where);
                storages.insert(pathName, storage);
            } else if (storage->dtype != dtype) {
                fail(where + QLatin1String(" reads record ") + pathName + QLatin1String(" as ") + dtypeName(dtype) +
                     QLatin1String(", another weight as ") + dtypeName(storage->dtype));
            }
            tensor->storage = storage;
            const qint64 extent = tensor->storageExtent();
            if (extent > 0 && (tensor->storageOffset > storage->numel || extent > storage->numel - tensor->storageOffset))
                fail(where + QLatin1String(" spans ") + QString::number(tensor->storageOffset) + QLatin1Char('+') +
                     QString::number(extent) + QLatin1String(" elements, beyond its record ") + pathName + QLatin1String(" of ") +
                     QString::number(storage->numel));
            m_weights.push_back({key, tensor->isParameter, tensor});
        }
    }

    PyStorage* addStorage(const QString& pathName, DType dtype, const QString& where)
    {
        if (pathName.isEmpty() || pathName.contains(QLatin1Char('/')) || pathName.startsWith(QLatin1Char('.')))
            fail(where + QLatin1String(": bad path_name '") + pathName.left(64) + QLatin1Char('\''));
        const QString name = QLatin1String("data/weights/") + pathName;
        const ZipEntry* entry = m_zip.find(record(name));
        if (!entry)
            fail(where + QLatin1String(": the archive has no ") + name + QLatin1String(" record"));
        const int elementSize = dtypeElementSize(dtype);
        if (entry->size % elementSize != 0)
            fail(name + QLatin1String(": ") + QString::number(entry->size) + QLatin1String(" bytes is not a whole number of ") +
                 dtypeName(dtype) + QLatin1String(" elements"));
        auto* storage = m_checkpoint.arena().make<PyStorage>();
        storage->key = pathName;
        storage->location = QStringLiteral("cpu");
        storage->storageClass = QStringLiteral("UntypedStorage");
        storage->dtype = dtype;
        storage->numel = entry->size / elementSize;
        StorageBytes bytes;
        bytes.file = m_file;
        bytes.offset = entry->dataOffset;
        bytes.size = entry->size;
        bytes.record = name;
        bytes.compressed = !entry->stored;
        m_checkpoint.addStorage(storage, bytes);
        return storage;
    }

    // The keys of the top-level "config" object in the order the file writes them (QJsonObject sorts its
    // keys; json.dumps keeps the exported state dict's order). A small scanner walks the object's members,
    // skipping each value by its brackets and strings; the document has already parsed as valid JSON.
    static QStringList keysInFileOrder(const QJsonObject& entries, const QByteArray& text)
    {
        qsizetype at = 0;
        const auto skipSpace = [&] {
            while (at < text.size() && (text[at] == ' ' || text[at] == '\n' || text[at] == '\r' || text[at] == '\t'))
                ++at;
        };
        const auto readString = [&]() -> QString { // at a '"'; returns the decoded string, leaves `at` after it
            const qsizetype start = at++;
            while (at < text.size() && text[at] != '"')
                at += text[at] == '\\' ? 2 : 1;
            ++at;
            return QJsonDocument::fromJson("[" + text.mid(start, at - start) + "]").array().at(0).toString();
        };
        const auto skipValue = [&] { // leaves `at` on the ',' or closing bracket after the value
            int depth = 0;
            while (at < text.size()) {
                const char c = text[at];
                if (c == '"') {
                    readString();
                    if (depth == 0)
                        return;
                    continue;
                }
                if (c == '{' || c == '[') {
                    ++depth;
                } else if (c == '}' || c == ']') {
                    if (depth == 0)
                        return;
                    if (--depth == 0) {
                        ++at;
                        return;
                    }
                } else if (c == ',' && depth == 0) {
                    return;
                }
                ++at;
            }
        };
        // Members of the root object until "config", whose members are the weights.
        QStringList ordered;
        skipSpace();
        ++at; // the root '{'
        while (at < text.size()) {
            skipSpace();
            if (text[at] != '"')
                break;
            const QString member = readString();
            skipSpace();
            ++at; // ':'
            skipSpace();
            if (member != QLatin1String("config") || text[at] != '{') {
                skipValue();
                skipSpace();
                ++at; // ',' or '}'
                continue;
            }
            ++at;
            while (at < text.size()) {
                skipSpace();
                if (text[at] != '"')
                    break;
                ordered << readString();
                skipSpace();
                ++at; // ':'
                skipSpace();
                skipValue();
                skipSpace();
                if (text[at] != ',')
                    break;
                ++at;
            }
            break;
        }
        if (ordered.size() != entries.size() || QSet<QString>(ordered.cbegin(), ordered.cend()).size() != entries.size())
            return entries.keys(); // not laid out as expected: every key still, in sorted order
        return ordered;
    }

    // model.state_dict() of the original model walks named_modules() and gives each module's parameters, then
    // its persistent buffers; the exported state dict lists all parameters first, then all buffers.
    PyObject* buildStateDict()
    {
        QHash<QString, QVector<int>> byModule;
        for (int i = 0; i < m_weights.size(); ++i) {
            const QString& key = m_weights[i].key;
            const qsizetype dot = key.lastIndexOf(QLatin1Char('.'));
            const QString module = dot < 0 ? QString() : key.left(dot);
            if (!m_moduleSet.contains(module))
                addModule(module);
            byModule[module] << i;
        }
        auto info = std::make_unique<ScriptModuleInfo>();
        const QString rootType = m_types.value(QString());
        info->className = rootType.section(QLatin1Char('.'), -1);
        PyArena& arena = m_checkpoint.arena();
        auto* stateDict = arena.make<PyDict>();
        stateDict->className = QStringLiteral("collections.OrderedDict");
        for (const QString& module : m_modules) {
            info->modules.push_back({module, m_types.value(module)});
            const QVector<int>& indices = byModule.value(module);
            for (bool params : {true, false}) {
                for (int i : indices) {
                    const Weight& w = m_weights[i];
                    if (w.isParam != params)
                        continue;
                    info->stateDict.push_back({w.key, !w.isParam});
                    stateDict->keyIndex.insert(QLatin1String("s:") + w.key, int(stateDict->items.size()));
                    stateDict->items.push_back({arena.make<PyString>(w.key), w.tensor});
                }
            }
        }
        m_checkpoint.setScriptModule(std::move(info));
        return stateDict;
    }

    Checkpoint& m_checkpoint;
    int m_file;
    QString m_path;
    const ZipArchive& m_zip;
    QString m_folder;
    QHash<QString, QString> m_types; // module path -> qualified class
    QStringList m_modules;           // pre-order
    QSet<QString> m_moduleSet;
    QVector<Weight> m_weights;       // the weights config's order
};

} // namespace

PyObject* readTorchExport(Checkpoint& checkpoint, int file)
{
    return ExportArchive(checkpoint, file).read();
}

} // namespace statescope
