#include "diff_tree_model.h"

#include "checkpoint/inspect_report.h"

#include <QSet>

namespace statescope {

struct DiffTreeModel::Node
{
    Node* parent = nullptr;
    int row = 0;
    QString name;
    QString path; // module path or key
    bool isModule = false;
    std::vector<Node*> children;
    QHash<QString, Node*> childByName; // module children only
    const PyTensor* source = nullptr;
    const PyTensor* target = nullptr;
    RowStatus status = RowStatus::Equal;
    int differences = 0;
    qint64 sourceParameters = 0;
    qint64 sourceBytes = 0;
    qint64 targetParameters = 0;
    qint64 targetBytes = 0;
    int orderIndex = 0;
};

DiffTreeModel::DiffTreeModel(QObject* parent) : QAbstractItemModel(parent)
{
    clear();
}

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
    resetTree();
    endResetModel();
}

void DiffTreeModel::resetTree()
{
    m_nodes.clear();
    m_modules.clear();
    m_tensors.clear();
    m_order.clear();
    m_nodes.push_back(std::make_unique<Node>());
    m_root = m_nodes.back().get();
    m_root->isModule = true;
    m_modules.insert(QString(), m_root);
}

DiffTreeModel::Node* DiffTreeModel::moduleNode(const QString& path)
{
    if (Node* known = m_modules.value(path))
        return known;
    const qsizetype dot = path.lastIndexOf(QLatin1Char('.'));
    Node* parent = moduleNode(dot < 0 ? QString() : path.left(dot));
    const QString name = dot < 0 ? path : path.mid(dot + 1);
    if (Node* sibling = parent->childByName.value(name))
        return sibling;
    m_nodes.push_back(std::make_unique<Node>());
    Node* node = m_nodes.back().get();
    node->parent = parent;
    node->row = static_cast<int>(parent->children.size());
    node->name = name;
    node->path = path;
    node->isModule = true;
    parent->children.push_back(node);
    parent->childByName.insert(name, node);
    m_modules.insert(path, node);
    return node;
}

DiffTreeModel::Node* DiffTreeModel::tensorNode(const QString& key)
{
    if (Node* known = m_tensors.value(key))
        return known;
    const qsizetype dot = key.lastIndexOf(QLatin1Char('.'));
    // Iterative parent creation would be nicer for absurd depths; module paths come from keys that the
    // verdict has already bounded (TargetModel::kMaxPathChars).
    Node* parent = moduleNode(dot < 0 ? QString() : key.left(dot));
    m_nodes.push_back(std::make_unique<Node>());
    Node* node = m_nodes.back().get();
    node->parent = parent;
    node->row = static_cast<int>(parent->children.size());
    node->name = dot < 0 ? key : key.mid(dot + 1);
    node->path = key;
    parent->children.push_back(node);
    m_tensors.insert(key, node);
    return node;
}

void DiffTreeModel::setSnapshot(const DiffSnapshot& snapshot)
{
    beginResetModel();
    m_snapshot = snapshot;
    resetTree();

    for (const StateDictEntry& e : snapshot.targetDict.entries)
        tensorNode(e.key)->target = e.tensor;
    for (const StateDictEntry& e : snapshot.sourceDict.entries)
        tensorNode(e.key)->source = e.tensor;

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
        for (Node* node : std::as_const(m_tensors)) {
            const QString& key = node->path;
            if (shapes.contains(key))
                node->status = RowStatus::ShapeMismatch;
            else if (missing.contains(key) || (node->target && !node->source && !filled.contains(key)))
                node->status = RowStatus::Missing;
            else if (filled.contains(key))
                node->status = RowStatus::FilledByTorch;
            else if (unexpected.contains(key))
                node->status = RowStatus::Unexpected;
            else if (!node->target)
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
    rollUp(m_root);
    flatten(m_root);
    endResetModel();
}

void DiffTreeModel::rollUp(Node* node)
{
    if (!node->isModule) {
        node->differences = node->status == RowStatus::Equal ? 0 : 1;
        if (node->source) {
            node->sourceParameters = node->source->numel();
            node->sourceBytes = node->source->nbytes();
        }
        if (node->target) {
            node->targetParameters = node->target->numel();
            node->targetBytes = node->target->nbytes();
        }
        return;
    }
    node->status = RowStatus::Equal;
    node->differences = 0;
    node->sourceParameters = node->sourceBytes = node->targetParameters = node->targetBytes = 0;
    for (Node* child : node->children) {
        rollUp(child);
        node->status = std::max(node->status, child->status);
        node->differences += child->differences;
        node->sourceParameters += child->sourceParameters;
        node->sourceBytes += child->sourceBytes;
        node->targetParameters += child->targetParameters;
        node->targetBytes += child->targetBytes;
    }
}

void DiffTreeModel::flatten(Node* node)
{
    for (Node* child : node->children) {
        child->orderIndex = static_cast<int>(m_order.size());
        m_order.push_back(child);
        flatten(child);
    }
}

const DiffTreeModel::Node* DiffTreeModel::nodeAt(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<const Node*>(index.internalPointer()) : m_root;
}

QModelIndex DiffTreeModel::indexOf(const Node* node) const
{
    if (!node || node == m_root)
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
    switch (index.column()) {
    case Name: return node->name;
    case SourceDType:
    case TargetDType: return tensor ? dtypeName(tensor->dtype) : QString();
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
    const int count = static_cast<int>(m_order.size());
    if (count == 0)
        return {};
    int start = from.isValid() ? nodeAt(from)->orderIndex : (forward ? -1 : count);
    for (int step = 1; step <= count; ++step) {
        int i = forward ? start + step : start - step;
        i = ((i % count) + count) % count;
        const Node* node = m_order[static_cast<std::size_t>(i)];
        if (!node->isModule && node->status != RowStatus::Equal)
            return indexOf(node);
    }
    return {};
}

QModelIndex DiffTreeModel::indexAtDisplayRow(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_order.size()))
        return {};
    return indexOf(m_order[static_cast<std::size_t>(row)]);
}

QModelIndex DiffTreeModel::indexOfKey(const QString& key) const
{
    if (const Node* node = m_tensors.value(key))
        return indexOf(node);
    if (const Node* node = m_modules.value(key))
        return indexOf(node);
    return {};
}

QVector<std::pair<int, RowStatus>> DiffTreeModel::differencePositions() const
{
    QVector<std::pair<int, RowStatus>> out;
    for (const Node* node : m_order) {
        if (!node->isModule && node->status != RowStatus::Equal)
            out.push_back({node->orderIndex, node->status});
    }
    return out;
}

} // namespace statescope
