#include "inspect_report.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/global_safety.h"
#include "checkpoint/json_text.h"
#include "checkpoint/module_tree.h"
#include "checkpoint/object_json.h"
#include "checkpoint/weights_only.h"
#include "formats/mapped_file.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QTextStream>

namespace statescope {

namespace {

const PyStorage* storageOf(const PyTensor& t)
{
    if (t.storage)
        return t.storage;
    for (const auto* part : t.components) {
        if (part->storage)
            return part->storage;
    }
    return nullptr;
}

qint64 bytesOf(const PyTensor& t)
{
    if (t.components.isEmpty())
        return t.nbytes();
    qint64 sum = 0;
    for (const auto* part : t.components)
        sum += part->nbytes();
    return sum;
}

} // namespace

QString humanBytes(qint64 bytes)
{
    static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(bytes);
    int unit = 0;
    while (v >= 1024 && unit < 4) {
        v /= 1024;
        ++unit;
    }
    if (unit == 0)
        return QString::number(bytes) + QLatin1String(" B");
    return QString::number(v, 'f', 1) + QLatin1Char(' ') + QLatin1String(units[unit]);
}

QString groupedNumber(qint64 value)
{
    QLocale c = QLocale::c();
    c.setNumberOptions(QLocale::DefaultNumberOptions);
    return c.toString(value);
}

void writeTensorRecord(JsonText& json, const Checkpoint& checkpoint, const StateDictEntry& entry)
{
    const PyTensor& t = *entry.tensor;
    const PyStorage* storage = storageOf(t);
    json.raw("{").key("key").string(entry.key);
    json.raw(", ").key("dtype").string(dtypeName(t.dtype));
    json.raw(", ").key("shape").numbers(t.shape);
    json.raw(", ").key("stride").numbers(t.stride);
    json.raw(", ").key("offset").number(t.storageOffset);
    json.raw(", ").key("storage");
    if (storage)
        json.string(storage->key);
    else
        json.null();
    json.raw(", ").key("location").string(storage ? storage->location : QStringLiteral("meta"));
    json.raw(", ").key("nbytes").number(bytesOf(t));
    if (t.layout != QLatin1String("strided"))
        json.raw(", ").key("layout").string(t.layout);
    if (!t.qscheme.isEmpty())
        json.raw(", ").key("qscheme").string(t.qscheme);
    if (checkpoint.format() == CheckpointFormat::Sharded && storage) {
        if (const StorageBytes* where = checkpoint.storageBytes(storage))
            json.raw(", ").key("shard").string(QFileInfo(checkpoint.file(where->file).path()).fileName());
    }
    json.raw("}");
}

QJsonObject tensorRecordJson(const Checkpoint& checkpoint, const StateDictEntry& entry)
{
    std::string text;
    JsonText json(&text);
    writeTensorRecord(json, checkpoint, entry);
    return QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
}

QByteArray inspectJson(const Checkpoint& checkpoint, const QVector<StateDict>& candidates, const StateDict& selected)
{
    std::string text;
    text.reserve(static_cast<std::size_t>(256 + selected.entries.size() * 200));
    JsonText json(&text);
    json.raw("{\n  ").key("file").string(checkpoint.path());
    json.raw(",\n  ").key("format").string(formatName(checkpoint.format()));
    if (const ScriptModuleInfo* script = checkpoint.scriptModule())
        json.raw(",\n  ").key("class").string(script->className);
    if (checkpoint.byteOrder() != QLatin1String("little"))
        json.raw(",\n  ").key("byteorder").string(checkpoint.byteOrder());
    json.raw(",\n  ").key("state_dicts").raw("[");
    QSet<const PyObject*> stateDictObjects;
    for (qsizetype i = 0; i < candidates.size(); ++i) {
        json.raw(i ? ", {" : "{").key("path").string(candidates[i].path);
        json.raw(", ").key("tensors").number(static_cast<qint64>(candidates[i].entries.size())).raw("}");
        stateDictObjects.insert(candidates[i].object);
    }
    json.raw("]");
    json.raw(",\n  ").key("selected").string(selected.path);
    json.raw(",\n  ").key("tensors").raw("[");
    for (qsizetype i = 0; i < selected.entries.size(); ++i) {
        json.raw(i ? ",\n    " : "\n    ");
        writeTensorRecord(json, checkpoint, selected.entries[i]);
    }
    json.raw(selected.entries.isEmpty() ? "]" : "\n  ]");
    json.raw(",\n  ").key("metadata").value(selected.metadata ? objectToJson(selected.metadata, {}) : QJsonValue());
    json.raw(",\n  ").key("globals").strings(checkpoint.globals());
    json.raw(",\n  ").key("unsafe_globals").strings(unsafeGlobals(checkpoint));
    json.raw(",\n  ").key("dangerous_globals").strings(dangerousGlobals(checkpoint));
    writeWeightsOnlyJson(json, weightsOnlyVerdict(checkpoint));
    // TorchScript: the module object of data.pkl (attributes, submodules, tensors), inert like any pickle.
    QJsonValue objects = objectToJson(checkpoint.pickleRoot(), stateDictObjects);
    if (!checkpoint.textMetadata().isEmpty()) {
        QJsonObject meta;
        for (auto it = checkpoint.textMetadata().cbegin(); it != checkpoint.textMetadata().cend(); ++it)
            meta.insert(it.key(), it.value());
        QJsonObject wrapped = objects.isObject() ? objects.toObject() : QJsonObject{};
        wrapped.insert(QStringLiteral("__metadata__"), meta);
        objects = wrapped;
    }
    json.raw(",\n  ").key("objects").value(objects);
    json.raw("\n}\n");
    return QByteArray::fromStdString(text);
}

namespace {

void writeNode(QTextStream& out, const ModuleNode& node, const StateDict& dict, int depth)
{
    const QString indent(depth * 2, QLatin1Char(' '));
    if (depth > 0 || !node.name.isEmpty()) {
        out << indent << node.name << QLatin1String("  (") << groupedNumber(node.parameters) << QLatin1String(" params, ")
            << humanBytes(node.bytes) << QLatin1String(")\n");
    }
    const QString childIndent = depth > 0 ? indent + QLatin1String("  ") : indent;
    for (int index : node.tensors) {
        const StateDictEntry& e = dict.entries[index];
        const QString leaf = e.key.mid(node.path.isEmpty() ? 0 : node.path.size() + 1);
        out << childIndent << leaf << QLatin1String("  ") << dtypeName(e.tensor->dtype) << QLatin1Char(' ')
            << shapeText(e.tensor->shape) << QLatin1String("  ") << groupedNumber(e.tensor->numel()) << QLatin1String("  ")
            << humanBytes(bytesOf(*e.tensor));
        if (e.tensor->storage && e.tensor->storage->location != QLatin1String("cpu"))
            out << QLatin1String("  @") << e.tensor->storage->location;
        out << QLatin1Char('\n');
    }
    for (const auto& child : node.children)
        writeNode(out, *child, dict, depth > 0 || !node.name.isEmpty() ? depth + 1 : 1);
}

} // namespace

QString inspectText(const Checkpoint& checkpoint, const QVector<StateDict>& candidates, const StateDict& selected)
{
    QString text;
    QTextStream out(&text);
    const auto tree = buildModuleTree(selected.entries);
    out << checkpoint.path() << QLatin1String(": ") << formatName(checkpoint.format());
    if (const ScriptModuleInfo* script = checkpoint.scriptModule())
        out << QLatin1String(", class ") << script->className;
    out << QLatin1Char('\n');
    out << QLatin1String("state dict ")
        << (selected.path.isEmpty() ? QStringLiteral("<root>") : QString(QLatin1Char('"') + selected.path + QLatin1Char('"')))
        << QLatin1String(": ") << selected.entries.size() << QLatin1String(" tensors, ") << groupedNumber(tree->parameters)
        << QLatin1String(" parameters, ") << humanBytes(tree->bytes) << QLatin1Char('\n');
    if (candidates.size() > 1) {
        QStringList others;
        for (const StateDict& c : candidates) {
            if (c.object != selected.object)
                others << QString(c.path.isEmpty() ? QStringLiteral("<root>") : c.path) + QLatin1String(" (") +
                              QString::number(c.entries.size()) + QLatin1String(" tensors)");
        }
        out << QLatin1String("other state dicts: ") << others.join(QLatin1String(", ")) << QLatin1Char('\n');
    }
    const QStringList dangerous = dangerousGlobals(checkpoint);
    const QStringList unsafe = unsafeGlobals(checkpoint);
    if (!dangerous.isEmpty())
        out << QLatin1String("DANGER: this file calls ") << dangerous.join(QLatin1String(", "))
            << QLatin1String(" when loaded by torch.load; StateScope did not run it\n");
    if (!unsafe.isEmpty())
        out << QLatin1String("note: torch.load(weights_only=True) would refuse: ") << unsafe.join(QLatin1String(", "))
            << QLatin1Char('\n');
    writeWeightsOnlyText(out, weightsOnlyVerdict(checkpoint));
    out << QLatin1Char('\n');
    writeNode(out, *tree, selected, 0);
    out.flush();
    return text;
}

} // namespace statescope
