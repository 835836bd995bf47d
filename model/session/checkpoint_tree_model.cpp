#include "checkpoint_tree_model.h"

#include "checkpoint/inspect_report.h"
#include "session/dispose_later.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThreadPool>

namespace statescope {

CheckpointTreeModel::CheckpointTreeModel(QObject* parent) : QAbstractItemModel(parent), m_rows(buildRows(StateDict{})) {}

CheckpointTreeModel::~CheckpointTreeModel() = default;

void CheckpointTreeModel::clear()
{
    ++m_generation;
    m_building = false;
    swapIn(buildRows(StateDict{}));
}

void CheckpointTreeModel::setStateDict(const StateDict& stateDict, std::shared_ptr<const void> keepAlive)
{
    const quint64 generation = ++m_generation;
    if (stateDict.entries.size() <= s_synchronousLimit) {
        m_building = false;
        swapIn(buildRows(stateDict, std::move(keepAlive)));
        return;
    }
    m_building = true;
    swapIn(buildRows(StateDict{}));
    // The state dict shares its (immutable) entries with the worker's snapshot; the pool thread only reads
    // them. The result comes back through the application object, which outlives this model, and is
    // dropped when the model is gone or has been given something newer.
    QPointer<CheckpointTreeModel> self(this);
    QThreadPool::globalInstance()->start([self, generation, stateDict, keepAlive] {
        std::shared_ptr<Rows> rows = buildRows(stateDict, keepAlive);
        QCoreApplication* app = QCoreApplication::instance();
        if (!app)
            return; // shutting down
        QMetaObject::invokeMethod(app, [self, generation, rows]() mutable {
            if (!self || self->m_generation != generation)
                return;
            self->m_building = false;
            self->swapIn(std::move(rows));
        }, Qt::QueuedConnection);
    });
}

void CheckpointTreeModel::swapIn(std::shared_ptr<Rows> rows)
{
    beginResetModel();
    std::shared_ptr<Rows> old = std::exchange(m_rows, std::move(rows));
    endResetModel();
    disposeLater(std::move(old)); // 100k rows take ~100 ms to free
}

std::shared_ptr<CheckpointTreeModel::Rows> CheckpointTreeModel::buildRows(const StateDict& stateDict,
                                                                       std::shared_ptr<const void> keepAlive)
{
    auto rows = std::make_shared<Rows>();
    rows->stateDict = stateDict;
    rows->keepAlive = std::move(keepAlive);
    rows->tree = buildModuleTree(rows->stateDict.entries);
    rows->root = &rows->items.emplace_back();
    rows->root->module = rows->tree.get();
    addChildren(*rows, rows->root, *rows->tree);
    return rows;
}

void CheckpointTreeModel::addChildren(Rows& rows, Item* item, const ModuleNode& node)
{
    // torch's state_dict order: a module's own tensors, then its children.
    for (int tensor : node.tensors) {
        Item* child = &rows.items.emplace_back();
        child->parent = item;
        child->row = static_cast<int>(item->children.size());
        child->tensor = tensor;
        item->children.push_back(child);
    }
    for (const auto& module : node.children) {
        Item* child = &rows.items.emplace_back();
        child->parent = item;
        child->row = static_cast<int>(item->children.size());
        child->module = module.get();
        item->children.push_back(child);
        addChildren(rows, child, *module);
    }
}

const CheckpointTreeModel::Item* CheckpointTreeModel::itemAt(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<const Item*>(index.internalPointer()) : m_rows->root;
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
    if (!item->parent || item->parent == m_rows->root)
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
    const StateDictEntry& e = m_rows->stateDict.entries[item->tensor];
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
