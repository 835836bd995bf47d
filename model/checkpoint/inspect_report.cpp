#include "inspect_report.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/global_safety.h"
#include "checkpoint/module_tree.h"
#include "checkpoint/object_json.h"
#include "formats/mapped_file.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QLocale>
#include <QTextStream>

namespace statescope {

namespace {

QJsonArray intArray(const QVector<qint64>& values)
{
    QJsonArray a;
    for (qint64 v : values)
        a.append(static_cast<double>(v));
    return a;
}

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

QString shapeText(const QVector<qint64>& shape)
{
    QStringList dims;
    for (qint64 d : shape)
        dims << QString::number(d);
    return QLatin1Char('[') + dims.join(QLatin1String(", ")) + QLatin1Char(']');
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

QJsonObject tensorRecordJson(const Checkpoint& checkpoint, const StateDictEntry& entry)
{
    const PyTensor& t = *entry.tensor;
    const PyStorage* storage = storageOf(t);
    QJsonObject o;
    o.insert(QStringLiteral("key"), entry.key);
    o.insert(QStringLiteral("dtype"), dtypeName(t.dtype));
    o.insert(QStringLiteral("shape"), intArray(t.shape));
    o.insert(QStringLiteral("stride"), intArray(t.stride));
    o.insert(QStringLiteral("offset"), static_cast<double>(t.storageOffset));
    o.insert(QStringLiteral("storage"), storage ? QJsonValue(storage->key) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("location"), storage ? storage->location : QStringLiteral("meta"));
    o.insert(QStringLiteral("nbytes"), static_cast<double>(bytesOf(t)));
    if (t.layout != QLatin1String("strided"))
        o.insert(QStringLiteral("layout"), t.layout);
    if (!t.qscheme.isEmpty())
        o.insert(QStringLiteral("qscheme"), t.qscheme);
    if (checkpoint.format() == CheckpointFormat::Sharded && storage) {
        if (const StorageBytes* where = checkpoint.storageBytes(storage))
            o.insert(QStringLiteral("shard"), QFileInfo(checkpoint.file(where->file).path()).fileName());
    }
    return o;
}

QJsonObject inspectJson(const Checkpoint& checkpoint, const QVector<StateDict>& candidates, const StateDict& selected)
{
    QJsonObject out;
    out.insert(QStringLiteral("file"), checkpoint.path());
    out.insert(QStringLiteral("format"), formatName(checkpoint.format()));
    QJsonArray dicts;
    QSet<const PyObject*> stateDictObjects;
    for (const StateDict& c : candidates) {
        dicts.append(QJsonObject{{QStringLiteral("path"), c.path}, {QStringLiteral("tensors"), c.entries.size()}});
        stateDictObjects.insert(c.object);
    }
    out.insert(QStringLiteral("state_dicts"), dicts);
    out.insert(QStringLiteral("selected"), selected.path);
    QJsonArray tensors;
    for (const StateDictEntry& e : selected.entries)
        tensors.append(tensorRecordJson(checkpoint, e));
    out.insert(QStringLiteral("tensors"), tensors);
    out.insert(QStringLiteral("metadata"), selected.metadata ? objectToJson(selected.metadata, {}) : QJsonValue(QJsonValue::Null));
    out.insert(QStringLiteral("globals"), QJsonArray::fromStringList(checkpoint.globals()));
    out.insert(QStringLiteral("unsafe_globals"), QJsonArray::fromStringList(unsafeGlobals(checkpoint.globals())));
    out.insert(QStringLiteral("dangerous_globals"), QJsonArray::fromStringList(dangerousGlobals(checkpoint.globals())));
    QJsonValue objects = objectToJson(checkpoint.root(), stateDictObjects);
    if (!checkpoint.textMetadata().isEmpty()) {
        QJsonObject meta;
        for (auto it = checkpoint.textMetadata().cbegin(); it != checkpoint.textMetadata().cend(); ++it)
            meta.insert(it.key(), it.value());
        QJsonObject wrapped = objects.isObject() ? objects.toObject() : QJsonObject{};
        wrapped.insert(QStringLiteral("__metadata__"), meta);
        objects = wrapped;
    }
    out.insert(QStringLiteral("objects"), objects);
    if (checkpoint.byteOrder() != QLatin1String("little"))
        out.insert(QStringLiteral("byteorder"), checkpoint.byteOrder());
    if (const ScriptModuleInfo* script = checkpoint.scriptModule())
        out.insert(QStringLiteral("class"), script->className);
    return out;
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
    const QStringList dangerous = dangerousGlobals(checkpoint.globals());
    const QStringList unsafe = unsafeGlobals(checkpoint.globals());
    if (!dangerous.isEmpty())
        out << QLatin1String("DANGER: this file calls ") << dangerous.join(QLatin1String(", "))
            << QLatin1String(" when loaded by torch.load; StateScope did not run it\n");
    if (!unsafe.isEmpty())
        out << QLatin1String("note: torch.load(weights_only=True) would refuse: ") << unsafe.join(QLatin1String(", "))
            << QLatin1Char('\n');
    out << QLatin1Char('\n');
    writeNode(out, *tree, selected, 0);
    out.flush();
    return text;
}

} // namespace statescope
