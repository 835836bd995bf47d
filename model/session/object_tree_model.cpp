#include "object_tree_model.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/object_json.h"
#include "checkpoint/pyobject_type_name.h"
#include "session/dispose_later.h"

#include <QLocale>

#include <cmath>

namespace statescope {

struct ObjectNode
{
    ObjectNode* parent = nullptr;
    int row = 0;
    QString name;
    QString path;
    const PyObject* object = nullptr;
    int stateDict = -1;  // index into the candidates
    qint64 elided = 0;   // the "... N more" row
    bool cycle = false;  // the object is one of its own ancestors: shown, never expanded
    bool built = false;
    std::vector<std::unique_ptr<ObjectNode>> children;
};

namespace {

constexpr int kMaxDepth = 200;
constexpr int kSummaryFields = 6;

struct ChildEntry
{
    QString name;
    const PyObject* object = nullptr;
};

QString keyText(const PyObject* key)
{
    if (const auto* s = key->as<PyString>())
        return s->value;
    if (const auto* i = key->as<PyInt>())
        return i->toString();
    return objectSummary(key);
}

bool isLeafOpaque(const PyOpaque& o)
{
    const QString cls = o.className();
    return cls == QLatin1String("torch.Size") || cls == QLatin1String("torch.device") ||
           cls == QLatin1String("numpy.core.multiarray.scalar");
}

// The children of an object in display order, at most `limit` of them appended to `out` (when given);
// returns how many there are in all.
qint64 childEntries(const PyObject* o, qint64 limit, std::vector<ChildEntry>* out)
{
    qint64 total = 0;
    auto add = [&](const QString& name, const PyObject* child) {
        if (out && total < limit)
            out->push_back({name, child});
        ++total;
    };
    auto addItems = [&](const QVector<std::pair<PyObject*, PyObject*>>& items) {
        if (!out || limit <= total)
            return void(total += items.size());
        for (const auto& [k, v] : items)
            add(keyText(k), v);
    };
    auto addSequence = [&](const QVector<PyObject*>& items, const QString& prefix) {
        if (!out || limit <= total)
            return void(total += items.size());
        for (int i = 0; i < items.size(); ++i)
            add(prefix + QString::number(i), items[i]);
    };
    if (const auto* dict = o->as<PyDict>()) {
        addItems(dict->items);
    } else if (const auto* seq = o->as<PySequence>()) {
        addSequence(seq->items, QString());
    } else if (const auto* opaque = o->as<PyOpaque>()) {
        if (isLeafOpaque(*opaque))
            return 0;
        // Attributes first: a Namespace or a plain object reads as its fields.
        if (const auto* state = opaque->state ? opaque->state->as<PyDict>() : nullptr)
            addItems(state->items);
        else if (opaque->state)
            add(QStringLiteral("state"), opaque->state);
        if (const auto* args = opaque->args ? opaque->args->as<PySequence>() : nullptr)
            addSequence(args->items, QStringLiteral("arg "));
        if (opaque->kwargs)
            add(QStringLiteral("kwargs"), opaque->kwargs);
        addSequence(opaque->listItems, QString());
        addItems(opaque->dictItems);
    }
    return total;
}

// Python's repr of a float: shortest round trip, and "2.0" rather than "2".
QString floatText(double v)
{
    if (std::isnan(v))
        return QStringLiteral("nan");
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    QString text = QString::number(v, 'g', QLocale::FloatingPointShortest);
    if (!text.contains(QLatin1Char('.')) && !text.contains(QLatin1Char('e')))
        text += QLatin1String(".0");
    return text;
}

QString scalarText(const PyObject* o)
{
    if (const auto* f = o->as<PyFloat>())
        return floatText(f->value);
    if (const auto* s = o->as<PyString>()) {
        const QString shown = s->value.size() > 200 ? s->value.left(200) + QChar(0x2026) : s->value;
        return QLatin1Char('\'') + shown + QLatin1Char('\'');
    }
    return objectSummary(o);
}

bool isScalar(const PyObject* o)
{
    switch (o->kind()) {
    case PyKind::None:
    case PyKind::Bool:
    case PyKind::Int:
    case PyKind::Float:
    case PyKind::Complex:
    case PyKind::String: return true;
    default: return false;
    }
}

// torch.optim.Optimizer.state_dict(): {"state": {param id: {...}}, "param_groups": [{"lr": ..., "params": [...]}]}.
bool isOptimizerState(const PyObject* o)
{
    const auto* dict = o ? o->as<PyDict>() : nullptr;
    if (!dict)
        return false;
    const PyObject* state = dict->value(QStringLiteral("state"));
    const PyObject* groups = dict->value(QStringLiteral("param_groups"));
    return state && state->is(PyKind::Dict) && groups && groups->is(PyKind::List);
}

bool isParamGroup(const ObjectNode* node)
{
    return node->parent && node->parent->name == QLatin1String("param_groups") && node->parent->parent &&
           isOptimizerState(node->parent->parent->object) && node->object->is(PyKind::Dict);
}

// "lr=0.1, momentum=0.9, ..., params: 6": the hyper-parameters of one optimizer param group.
QString paramGroupText(const PyDict& group)
{
    QStringList fields;
    qint64 params = -1;
    for (const auto& [k, v] : group.items) {
        const QString name = keyText(k);
        if (name == QLatin1String("params")) {
            if (const auto* list = v->as<PySequence>())
                params = list->items.size();
            continue;
        }
        if (fields.size() < kSummaryFields && isScalar(v))
            fields << name + QLatin1Char('=') + scalarText(v);
    }
    if (params >= 0)
        fields << QLatin1String("params: ") + QString::number(params);
    return fields.join(QLatin1String(", "));
}

QString countText(qint64 n, const char* one, const char* many)
{
    return QLocale().toString(n) + QLatin1Char(' ') + QLatin1String(n == 1 ? one : many);
}

QString typeText(const PyObject* o)
{
    return pyObjectTypeName(o, PyTypeNameStyle::Label);
}

// The one line a row shows for its object.
QString valueText(const ObjectNode* node)
{
    const PyObject* o = node->object;
    if (isScalar(o))
        return scalarText(o);
    if (node->cycle)
        return QStringLiteral("(refers back to an enclosing object)");
    if (isOptimizerState(o)) {
        const auto* dict = o->as<PyDict>();
        const auto* groups = dict->value(QStringLiteral("param_groups"))->as<PySequence>();
        const auto* state = dict->value(QStringLiteral("state"))->as<PyDict>();
        QString text = QLatin1String("optimizer: ") + countText(groups->items.size(), "param group", "param groups");
        if (groups->items.size() == 1) {
            if (const auto* group = groups->items.front()->as<PyDict>())
                text += QLatin1String(" (") + paramGroupText(*group) + QLatin1Char(')');
        }
        return text + QLatin1String(", ") + countText(state->items.size(), "state entry", "state entries");
    }
    if (isParamGroup(node))
        return paramGroupText(*o->as<PyDict>());
    switch (o->kind()) {
    case PyKind::Dict: return countText(o->as<PyDict>()->items.size(), "item", "items");
    case PyKind::List:
    case PyKind::Tuple:
    case PyKind::Set:
    case PyKind::FrozenSet: return countText(o->as<PySequence>()->items.size(), "item", "items");
    case PyKind::Tensor: return objectSummary(o);
    case PyKind::Object: {
        const auto& opaque = *o->as<PyOpaque>();
        if (isLeafOpaque(opaque))
            return objectSummary(o);
        // class(field=value, ...): the scalar fields a user looks for (lr, epochs, name).
        QStringList fields;
        std::vector<ChildEntry> children;
        const qint64 total = childEntries(o, kSummaryFields, &children);
        for (const ChildEntry& c : children)
            fields << c.name + QLatin1Char('=') + (isScalar(c.object) ? scalarText(c.object) : objectSummary(c.object));
        if (total > qint64(children.size()))
            fields << QStringLiteral("...");
        const QString cls = opaque.className().isEmpty() ? QStringLiteral("<call>") : opaque.className();
        return cls + QLatin1Char('(') + fields.join(QLatin1String(", ")) + QLatin1Char(')');
    }
    default: return objectSummary(o);
    }
}

QVariant scalarValue(const PyObject* o)
{
    switch (o->kind()) {
    case PyKind::Bool: return o->as<PyBool>()->value;
    case PyKind::Int: {
        const auto* i = o->as<PyInt>();
        return i->isBig() ? QVariant(i->toString()) : QVariant(i->value);
    }
    case PyKind::Float: return o->as<PyFloat>()->value;
    case PyKind::String: return o->as<PyString>()->value;
    default: return {};
    }
}

bool onPath(const ObjectNode* node, const PyObject* object)
{
    for (; node; node = node->parent) {
        if (node->object == object)
            return true;
    }
    return false;
}

int depthOf(const ObjectNode* node)
{
    int depth = 0;
    for (; node->parent; node = node->parent)
        ++depth;
    return depth;
}

} // namespace

ObjectTreeModel::ObjectTreeModel(QObject* parent) : QAbstractItemModel(parent), m_root(std::make_unique<ObjectNode>())
{
    m_root->built = true;
}

ObjectTreeModel::~ObjectTreeModel() = default;

void ObjectTreeModel::setCheckpoint(std::shared_ptr<const Checkpoint> checkpoint, const QVector<StateDict>& candidates)
{
    beginResetModel();
    std::shared_ptr<const Checkpoint> old = std::exchange(m_checkpoint, std::move(checkpoint));
    m_candidates = candidates;
    m_root = std::make_unique<ObjectNode>();
    m_metadata.reset();
    m_root->object = m_checkpoint ? m_checkpoint->pickleRoot() : nullptr;
    m_root->built = !m_root->object;
    // A file that is nothing but a state dict still shows one row for it (the browser is never blank).
    for (int i = 0; m_root->object && i < m_candidates.size(); ++i) {
        if (m_candidates[i].object == m_root->object) {
            auto only = std::make_unique<ObjectNode>();
            only->parent = m_root.get();
            only->name = tr("(file)");
            only->path = QLatin1String("");
            only->object = m_root->object;
            only->stateDict = i;
            only->built = true;
            m_root->children.push_back(std::move(only));
            m_root->built = true;
        }
    }
    addTextMetadata();
    endResetModel();
    disposeLater(std::move(old)); // the old rows pointed into it; they are gone
}

// safetensors' header has a string -> string "__metadata__" beside the tensors (format, the training
// framework's notes); it is not part of the synthesised object tree, so it is shown as one more read-only
// dict row of our own objects, which then look and behave like every other dict of strings.
void ObjectTreeModel::addTextMetadata()
{
    if (!m_checkpoint || m_checkpoint->textMetadata().isEmpty())
        return;
    build(m_root.get()); // the file's own rows first (a safetensors file without tensors has none)
    m_metadata = std::make_unique<PyArena>();
    auto* dict = m_metadata->make<PyDict>();
    const QMap<QString, QString>& metadata = m_checkpoint->textMetadata();
    for (auto it = metadata.cbegin(); it != metadata.cend(); ++it)
        dict->items.push_back({m_metadata->make<PyString>(it.key()), m_metadata->make<PyString>(it.value())});
    auto node = std::make_unique<ObjectNode>();
    node->parent = m_root.get();
    node->row = int(m_root->children.size());
    node->name = node->path = QStringLiteral("__metadata__");
    node->object = dict;
    m_root->children.push_back(std::move(node));
}

void ObjectTreeModel::clear()
{
    setCheckpoint(nullptr, {});
}

void ObjectTreeModel::build(ObjectNode* node) const
{
    if (node->built)
        return;
    node->built = true;
    if (!node->object || node->cycle || node->stateDict >= 0 || depthOf(node) > kMaxDepth)
        return;
    std::vector<ChildEntry> entries;
    const qint64 total = childEntries(node->object, s_maxChildren, &entries);
    node->children.reserve(entries.size() + 1);
    for (const ChildEntry& e : entries) {
        auto child = std::make_unique<ObjectNode>();
        child->parent = node;
        child->row = int(node->children.size());
        child->name = e.name;
        child->path = node == m_root.get() ? e.name : node->path + QLatin1Char('/') + e.name;
        child->object = e.object;
        child->cycle = onPath(node, e.object);
        for (int i = 0; i < m_candidates.size(); ++i) {
            if (m_candidates[i].object == e.object)
                child->stateDict = i;
        }
        node->children.push_back(std::move(child));
    }
    if (total > qint64(entries.size())) {
        auto more = std::make_unique<ObjectNode>();
        more->parent = node;
        more->row = int(node->children.size());
        more->elided = total - qint64(entries.size());
        more->built = true;
        node->children.push_back(std::move(more));
    }
}

ObjectNode* ObjectTreeModel::nodeAt(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<ObjectNode*>(index.internalPointer()) : m_root.get();
}

QModelIndex ObjectTreeModel::indexOfPath(const QString& path) const
{
    ObjectNode* node = m_root.get();
    QModelIndex at;
    const QStringList parts = path.split(QLatin1Char('/'));
    // A path names dict keys, which may hold '/': match whole paths, level by level.
    for (int level = 0; level < parts.size(); ++level) {
        build(node);
        const QString want = parts.mid(0, level + 1).join(QLatin1Char('/'));
        ObjectNode* next = nullptr;
        for (const auto& child : node->children) {
            if (!child->elided && child->path == want)
                next = child.get();
        }
        if (!next)
            return {};
        node = next;
        at = index(node->row, 0, at);
    }
    return at;
}

QModelIndex ObjectTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    ObjectNode* node = nodeAt(parent);
    build(node);
    if (row >= int(node->children.size()))
        return {};
    return createIndex(row, column, node->children[std::size_t(row)].get());
}

QModelIndex ObjectTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    const ObjectNode* node = nodeAt(child);
    if (!node->parent || node->parent == m_root.get())
        return {};
    return createIndex(node->parent->row, 0, node->parent);
}

int ObjectTreeModel::rowCount(const QModelIndex& parent) const
{
    if (parent.column() > 0)
        return 0;
    ObjectNode* node = nodeAt(parent);
    build(node);
    return int(node->children.size());
}

int ObjectTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

bool ObjectTreeModel::hasChildren(const QModelIndex& parent) const
{
    if (parent.column() > 0)
        return false;
    const ObjectNode* node = nodeAt(parent);
    if (node->built)
        return !node->children.empty();
    // Without making the rows: a view asks this for every visible row.
    if (!node->object || node->cycle || node->stateDict >= 0 || depthOf(node) > kMaxDepth)
        return false;
    return childEntries(node->object, 0, nullptr) > 0;
}

QVariant ObjectTreeModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    const ObjectNode* node = nodeAt(index);
    if (role == PathRole)
        return node->elided ? QVariant() : QVariant(node->path);
    if (role == StateDictRole)
        return node->stateDict;
    if (role == ElidedRole)
        return node->elided ? QVariant(node->elided) : QVariant();
    if (role == ScalarRole)
        return node->object ? scalarValue(node->object) : QVariant();
    if (role == Qt::ToolTipRole && node->stateDict >= 0)
        return tr("Double-click to compare this state dict");
    if (role != Qt::DisplayRole)
        return {};
    if (node->elided) {
        return index.column() == Name ? tr("... %1 more").arg(QLocale().toString(node->elided)) : QString();
    }
    switch (index.column()) {
    case Name: return node->name;
    case Value:
        if (node->stateDict >= 0)
            return tr("state dict: %n tensors", nullptr, int(m_candidates[node->stateDict].entries.size()));
        return valueText(node);
    case Type:
        if (node->stateDict >= 0)
            return tr("state dict");
        if (isOptimizerState(node->object))
            return tr("optimizer state");
        return typeText(node->object);
    }
    return {};
}

QVariant ObjectTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Name");
    case Value: return tr("Value");
    case Type: return tr("Type");
    }
    return {};
}

} // namespace statescope
