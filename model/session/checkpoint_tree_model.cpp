#include "checkpoint_tree_model.h"

#include "checkpoint/inspect_report.h"

namespace statescope {

CheckpointTreeModel::CheckpointTreeModel(QObject* parent) : QAbstractItemModel(parent)
{
    clear();
}

CheckpointTreeModel::~CheckpointTreeModel() = default;

void CheckpointTreeModel::clear()
{
    beginResetModel();
    m_stateDict = StateDict{};
    m_tree = std::make_unique<ModuleNode>();
    m_items.clear();
    m_items.push_back(std::make_unique<Item>());
    m_root = m_items.back().get();
    m_root->module = m_tree.get();
    endResetModel();
}

void CheckpointTreeModel::setStateDict(const StateDict& stateDict)
{
    beginResetModel();
    m_stateDict = stateDict;
    m_tree = buildModuleTree(m_stateDict.entries);
    m_items.clear();
    m_items.push_back(std::make_unique<Item>());
    m_root = m_items.back().get();
    m_root->module = m_tree.get();
    addChildren(m_root, *m_tree);
    endResetModel();
}

void CheckpointTreeModel::addChildren(Item* item, const ModuleNode& node)
{
    // torch's state_dict order: a module's own tensors, then its children.
    for (int tensor : node.tensors) {
        m_items.push_back(std::make_unique<Item>());
        Item* child = m_items.back().get();
        child->parent = item;
        child->row = static_cast<int>(item->children.size());
        child->tensor = tensor;
        item->children.push_back(child);
    }
    for (const auto& module : node.children) {
        m_items.push_back(std::make_unique<Item>());
        Item* child = m_items.back().get();
        child->parent = item;
        child->row = static_cast<int>(item->children.size());
        child->module = module.get();
        item->children.push_back(child);
        addChildren(child, *module);
    }
}

const CheckpointTreeModel::Item* CheckpointTreeModel::itemAt(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<const Item*>(index.internalPointer()) : m_root;
}

QModelIndex CheckpointTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (column < 0 || column >= ColumnCount || (parent.isValid() && parent.column() != 0))
        return {};
    const Item* p = itemAt(parent);
    if (row < 0 || row >= static_cast<int>(p->children.size()))
        return {};
    return createIndex(row, column, p->children[static_cast<std::size_t>(row)]);
}

QModelIndex CheckpointTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    const Item* item = itemAt(child);
    if (!item->parent || item->parent == m_root)
        return {};
    return createIndex(item->parent->row, 0, item->parent);
}

int CheckpointTreeModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return static_cast<int>(itemAt(parent)->children.size());
}

int CheckpointTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant CheckpointTreeModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    const Item* item = itemAt(index);
    if (role == IsModuleRole)
        return item->module != nullptr;
    if (item->module) {
        const ModuleNode& m = *item->module;
        if (role == KeyRole)
            return m.path;
        if (role == Qt::TextAlignmentRole && index.column() >= Parameters && index.column() <= Bytes)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        if (role != Qt::DisplayRole)
            return {};
        switch (index.column()) {
        case Name: return m.name;
        case Parameters: return groupedNumber(m.parameters);
        case Bytes: return humanBytes(m.bytes);
        default: return {};
        }
    }
    const StateDictEntry& e = m_stateDict.entries[item->tensor];
    if (role == KeyRole)
        return e.key;
    if (role == Qt::TextAlignmentRole && index.column() >= Parameters && index.column() <= Bytes)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole)
        return e.key;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name: return e.key.section(QLatin1Char('.'), -1);
    case DTypeColumn: return dtypeName(e.tensor->dtype);
    case Shape: {
        QStringList dims;
        for (qint64 d : e.tensor->shape)
            dims << QString::number(d);
        return QString(QLatin1Char('[') + dims.join(QLatin1String(", ")) + QLatin1Char(']'));
    }
    case Parameters: return groupedNumber(e.tensor->numel());
    case Bytes: return humanBytes(e.tensor->nbytes());
    case Location: return e.tensor->storage ? e.tensor->storage->location : QStringLiteral("meta");
    default: return {};
    }
}

QVariant CheckpointTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Name");
    case DTypeColumn: return tr("dtype");
    case Shape: return tr("Shape");
    case Parameters: return tr("Parameters");
    case Bytes: return tr("Bytes");
    case Location: return tr("Location");
    default: return {};
    }
}

} // namespace statescope
