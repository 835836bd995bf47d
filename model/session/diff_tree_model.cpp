#include "diff_tree_model.h"

#include "checkpoint/inspect_report.h"
#include "checkpoint/pyobject_type_name.h"
#include "session/dispose_later.h"

#include <QSet>

#include <deque>

namespace statescope {


struct DiffTreeNode
{
    DiffTreeNode* parent = nullptr;
    int row = 0;
    QString name;
    QString path; // module path or key
    bool isModule = false;
    std::vector<DiffTreeNode*> children;
    QHash<QString, DiffTreeNode*> childByName; // module children only
    const PyTensor* source = nullptr;
    const PyTensor* target = nullptr;
    // A non-tensor `_extra_state` value on that side: a key like any other to torch, but no tensor to show.
    const PyObject* sourceObject = nullptr;
    const PyObject* targetObject = nullptr;
    bool hasSource() const { return source || sourceObject; }
    bool hasTarget() const { return target || targetObject; }
    RowStatus status = RowStatus::Equal;
    int differences = 0;
    qint64 sourceParameters = 0;
    qint64 sourceBytes = 0;
    qint64 targetParameters = 0;
    qint64 targetBytes = 0;
    int orderIndex = 0;
};

struct DiffTree
{
    using Node = DiffTreeNode;
    std::deque<Node> nodes; // stable addresses, one allocation per block rather than per row
    Node* root = nullptr;
    QHash<QString, Node*> modules;
    QHash<QString, Node*> tensors;
    std::vector<const Node*> order; // display pre-order, every node but the root

    DiffTree()
    {
        root = &nodes.emplace_back();
        root->isModule = true;
        modules.insert(QString(), root);
    }

    Node* moduleNode(const QString& path)
    {
        if (Node* known = modules.value(path))
            return known;
        const qsizetype dot = path.lastIndexOf(QLatin1Char('.'));
        // Recursion depth is the module depth, which the verdict has bounded (TargetModel::kMaxPathChars).
        Node* parent = moduleNode(dot < 0 ? QString() : path.left(dot));
        const QString name = dot < 0 ? path : path.mid(dot + 1);
        if (Node* sibling = parent->childByName.value(name))
            return sibling;
        Node* node = &nodes.emplace_back();
        node->parent = parent;
        node->row = static_cast<int>(parent->children.size());
        node->name = name;
        node->path = path;
        node->isModule = true;
        parent->children.push_back(node);
        parent->childByName.insert(name, node);
        modules.insert(path, node);
        return node;
    }

    Node* tensorNode(const QString& key)
    {
        if (Node* known = tensors.value(key))
            return known;
        const qsizetype dot = key.lastIndexOf(QLatin1Char('.'));
        Node* parent = moduleNode(dot < 0 ? QString() : key.left(dot));
        Node* node = &nodes.emplace_back();
        node->parent = parent;
        node->row = static_cast<int>(parent->children.size());
        node->name = dot < 0 ? key : key.mid(dot + 1);
        node->path = key;
        parent->children.push_back(node);
        tensors.insert(key, node);
        return node;
    }

    // Worst status, difference count and totals of every module from its children (post-order, no recursion).
    void rollUp()
    {
        for (auto it = order.rbegin(); it != order.rend(); ++it)
            sum(const_cast<Node*>(*it));
        sum(root);
    }

    void flatten()
    {
        order.clear();
        order.reserve(nodes.size());
        std::vector<std::pair<Node*, std::size_t>> stack{{root, 0}};
        while (!stack.empty()) {
            auto& [node, next] = stack.back();
            if (next == node->children.size()) {
                stack.pop_back();
                continue;
            }
            Node* child = node->children[next++];
            child->orderIndex = static_cast<int>(order.size());
            order.push_back(child);
            if (!child->children.empty())
                stack.push_back({child, 0});
        }
    }

private:
    static void sum(Node* node)
    {
        if (!node->isModule) {
            node->differences = node->status == RowStatus::Equal ? 0 : 1;
            node->sourceParameters = node->source ? node->source->numel() : 0;
            node->sourceBytes = node->source ? node->source->nbytes() : 0;
            node->targetParameters = node->target ? node->target->numel() : 0;
            node->targetBytes = node->target ? node->target->nbytes() : 0;
            return;
        }
        node->status = RowStatus::Equal;
        node->differences = 0;
        node->sourceParameters = node->sourceBytes = node->targetParameters = node->targetBytes = 0;
        for (const Node* child : node->children) {
            node->status = std::max(node->status, child->status);
            node->differences += child->differences;
            node->sourceParameters += child->sourceParameters;
            node->sourceBytes += child->sourceBytes;
            node->targetParameters += child->targetParameters;
            node->targetBytes += child->targetBytes;
        }
    }
};

std::shared_ptr<DiffTree> buildDiffTree(const DiffSnapshot& snapshot)
{
    auto tree = std::make_shared<DiffTree>();
    DiffTree& t = *tree;
    t.tensors.reserve(snapshot.targetDict.entries.size() + snapshot.targetDict.extraStates.size() +
                      snapshot.sourceDict.entries.size() + snapshot.sourceDict.extraStates.size());
    forEachKey(snapshot.targetDict, [&t](const QString& key, const PyTensor* tensor, const PyObject* object) {
        DiffTreeNode* node = t.tensorNode(key);
        node->target = tensor;
        node->targetObject = object;
    });
    forEachKey(snapshot.sourceDict, [&t](const QString& key, const PyTensor* tensor, const PyObject* object) {
        DiffTreeNode* node = t.tensorNode(key);
        node->source = tensor;
        node->sourceObject = object;
    });

    if (snapshot.verdict) {
        const DiffResult& v = *snapshot.verdict;
        const QSet<QString> missing(v.missing.cbegin(), v.missing.cend());
        const QSet<QString> unexpected(v.unexpected.cbegin(), v.unexpected.cend());
        const QSet<QString> filled(v.filledByTorch.cbegin(), v.filledByTorch.cend());
        QSet<QString> shapes;
        for (const auto& m : v.sizeMismatch)
            shapes.insert(m.key);
        QSet<QString> dtypes;
        for (const auto& m : v.dtypeMismatch)
            dtypes.insert(m.key);
        QHash<QString, bool> valueEqual;
        if (snapshot.values) {
            for (const ValueDiffEntry& e : snapshot.values->entries) {
                if (e.state == ValueDiffEntry::State::Compared)
                    valueEqual.insert(e.targetKey, e.values.equal);
            }
        }
        for (DiffTreeNode* node : std::as_const(t.tensors)) {
            const QString& key = node->path;
            if (shapes.contains(key))
                node->status = RowStatus::ShapeMismatch;
            else if (missing.contains(key) || (node->hasTarget() && !node->hasSource() && !filled.contains(key)))
                node->status = RowStatus::Missing;
            else if (filled.contains(key))
                node->status = RowStatus::FilledByTorch;
            else if (unexpected.contains(key))
                node->status = RowStatus::Unexpected;
            else if (!node->hasTarget())
                node->status = RowStatus::IgnoredByTorch;
            else if (dtypes.contains(key))
                node->status = RowStatus::DtypeDiffers;
            else if (valueEqual.contains(key) && !valueEqual.value(key))
                node->status = RowStatus::ValueDiffers;
            else if (snapshot.originalSourceKeys.contains(key))
                node->status = RowStatus::MappedByRule;
            else
                node->status = RowStatus::Equal;
        }
    }
    t.flatten();
    t.rollUp();
    return tree;
}

DiffTreeModel::DiffTreeModel(QObject* parent) : QAbstractItemModel(parent), m_tree(std::make_shared<DiffTree>()) {}

DiffTreeModel::~DiffTreeModel() = default;

QString DiffTreeModel::statusName(RowStatus status)
{
    switch (status) {
    case RowStatus::Equal: return tr("equal");
    case RowStatus::FilledByTorch: return tr("filled by torch");
    case RowStatus::IgnoredByTorch: return tr("ignored by torch");
    case RowStatus::MappedByRule: return tr("mapped by a rule");
    case RowStatus::ValueDiffers: return tr("values differ");
    case RowStatus::DtypeDiffers: return tr("dtype differs");
    case RowStatus::Unexpected: return tr("unexpected (only in the source)");
    case RowStatus::Missing: return tr("missing (only in the target)");
    case RowStatus::ShapeMismatch: return tr("shape mismatch");
    }
    return {};
}

void DiffTreeModel::clear()
{
    beginResetModel();
    m_snapshot = DiffSnapshot{};
    m_tree = std::make_shared<DiffTree>();
    endResetModel();
}

// With a tree from the worker this is a pointer swap between begin/endResetModel: nothing per row.
void DiffTreeModel::setSnapshot(const DiffSnapshot& snapshot)
{
    std::shared_ptr<DiffTree> tree = snapshot.tree ? snapshot.tree : buildDiffTree(snapshot);
    beginResetModel();
    DiffSnapshot oldSnapshot = std::exchange(m_snapshot, snapshot);
    std::shared_ptr<DiffTree> oldTree = std::exchange(m_tree, std::move(tree));
    endResetModel();
    // After the reset no view points into the old rows: free them (and what only they kept) elsewhere.
    disposeLater(std::make_pair(std::move(oldSnapshot), std::move(oldTree)));
}

void DiffTreeModel::setValues(std::shared_ptr<const ValueDiffResult> values)
{
    m_snapshot.values = std::move(values);
    if (!m_snapshot.values)
        return;
    // The same precedence as setSnapshot: values only change rows that would otherwise be Equal or mapped.
    for (const ValueDiffEntry& e : m_snapshot.values->entries) {
        Node* node = m_tree->tensors.value(e.targetKey);
        if (node && e.state == ValueDiffEntry::State::Compared && !e.values.equal &&
            (node->status == RowStatus::Equal || node->status == RowStatus::MappedByRule))
            node->status = RowStatus::ValueDiffers;
    }
    m_tree->rollUp();
    for (const Node* module : std::as_const(m_tree->modules)) {
        if (!module->children.empty()) {
            const QModelIndex parent = indexOf(module);
            Q_EMIT dataChanged(index(0, 0, parent), index(int(module->children.size()) - 1, ColumnCount - 1, parent));
        }
    }
}

int DiffTreeModel::displayRowCount() const
{
    return static_cast<int>(m_tree->order.size());
}

const DiffTreeModel::Node* DiffTreeModel::nodeAt(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<const Node*>(index.internalPointer()) : m_tree->root;
}

QModelIndex DiffTreeModel::indexOf(const Node* node) const
{
    if (!node || node == m_tree->root)
        return {};
    return createIndex(node->row, 0, const_cast<Node*>(node));
}

QModelIndex DiffTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (column < 0 || column >= ColumnCount || (parent.isValid() && parent.column() != 0))
        return {};
    const Node* p = nodeAt(parent);
    if (row < 0 || row >= static_cast<int>(p->children.size()))
        return {};
    return createIndex(row, column, p->children[static_cast<std::size_t>(row)]);
}

QModelIndex DiffTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    return indexOf(nodeAt(child)->parent);
}

int DiffTreeModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return static_cast<int>(nodeAt(parent)->children.size());
}

int DiffTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant DiffTreeModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    const Node* node = nodeAt(index);
    switch (role) {
    case StatusRole: return static_cast<int>(node->status);
    case KeyRole: return node->path;
    case SourceKeyRole: return m_snapshot.originalSourceKeys.value(node->path, node->path);
    case IsModuleRole: return node->isModule;
    case DifferenceCountRole: return node->differences;
    case Qt::ToolTipRole:
        return node->path.isEmpty() ? QVariant() : QVariant(node->path + QLatin1String(": ") + statusName(node->status));
    case Qt::TextAlignmentRole:
        if (index.column() == SourceParameters || index.column() == SourceBytes || index.column() == TargetParameters ||
            index.column() == TargetBytes)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DisplayRole: break;
    default: return {};
    }
    const bool sourceSide = index.column() >= SourceDType && index.column() <= SourceBytes;
    const PyTensor* tensor = sourceSide ? node->source : node->target;
    const PyObject* object = sourceSide ? node->sourceObject : node->targetObject;
    switch (index.column()) {
    case Name: return node->name;
    case SourceDType:
    case TargetDType:
        // An `_extra_state` value shows its Python type, as torch would print type(value).
        if (tensor)
            return dtypeName(tensor->dtype);
        return object ? pyObjectTypeName(object, PyTypeNameStyle::TorchType) : QString();
    case SourceShape:
    case TargetShape: return tensor ? shapeText(tensor->shape) : QString();
    case SourceParameters:
        return node->isModule ? (node->sourceParameters ? groupedNumber(node->sourceParameters) : QString())
                              : (tensor ? groupedNumber(node->sourceParameters) : QString());
    case TargetParameters:
        return node->isModule ? (node->targetParameters ? groupedNumber(node->targetParameters) : QString())
                              : (tensor ? groupedNumber(node->targetParameters) : QString());
    case SourceBytes:
        return (node->isModule ? node->sourceParameters : qint64(tensor != nullptr)) ? humanBytes(node->sourceBytes) : QString();
    case TargetBytes:
        return (node->isModule ? node->targetParameters : qint64(tensor != nullptr)) ? humanBytes(node->targetBytes) : QString();
    default: return {};
    }
}

QVariant DiffTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Name");
    case SourceDType:
    case TargetDType: return tr("dtype");
    case SourceShape:
    case TargetShape: return tr("Shape");
    case SourceParameters:
    case TargetParameters: return tr("Parameters");
    case SourceBytes:
    case TargetBytes: return tr("Bytes");
    default: return {};
    }
}

QModelIndex DiffTreeModel::nextDifference(const QModelIndex& from, bool forward) const
{
    const int count = static_cast<int>(m_tree->order.size());
    if (count == 0)
        return {};
    int start = from.isValid() ? nodeAt(from)->orderIndex : (forward ? -1 : count);
    for (int step = 1; step <= count; ++step) {
        int i = forward ? start + step : start - step;
        i = ((i % count) + count) % count;
        const Node* node = m_tree->order[static_cast<std::size_t>(i)];
        if (!node->isModule && node->status != RowStatus::Equal)
            return indexOf(node);
    }
    return {};
}

QModelIndex DiffTreeModel::indexAtDisplayRow(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_tree->order.size()))
        return {};
    return indexOf(m_tree->order[static_cast<std::size_t>(row)]);
}

int DiffTreeModel::displayRowOf(const QModelIndex& index) const
{
    return index.isValid() ? nodeAt(index)->orderIndex : -1;
}

std::vector<bool> DiffTreeModel::acceptedRows(
    const std::function<bool(const QString& key, const QString& sourceKey, RowStatus status)>& accept) const
{
    const std::vector<const Node*>& order = m_tree->order;
    std::vector<bool> accepted(order.size(), false);
    const bool renamed = !m_snapshot.originalSourceKeys.isEmpty();
    // Reverse display order visits every row before its module, so a module learns from all its children.
    for (std::size_t i = order.size(); i-- > 0;) {
        const Node* node = order[i];
        if (!node->isModule) {
            accepted[i] = accept(node->path, renamed ? m_snapshot.originalSourceKeys.value(node->path, node->path) : node->path,
                                 node->status);
        }
        if (accepted[i] && node->parent != m_tree->root)
            accepted[static_cast<std::size_t>(node->parent->orderIndex)] = true;
    }
    return accepted;
}

QModelIndex DiffTreeModel::indexOfKey(const QString& key) const
{
    if (const Node* node = m_tree->tensors.value(key))
        return indexOf(node);
    if (const Node* node = m_tree->modules.value(key))
        return indexOf(node);
    return {};
}

QVector<std::pair<int, RowStatus>> DiffTreeModel::differencePositions() const
{
    QVector<std::pair<int, RowStatus>> out;
    for (const Node* node : m_tree->order) {
        if (!node->isModule && node->status != RowStatus::Equal)
            out.push_back({node->orderIndex, node->status});
    }
    return out;
}

} // namespace statescope
