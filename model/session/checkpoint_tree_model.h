#pragma once

#include "checkpoint/module_tree.h"
#include "checkpoint/state_dict.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace statescope {

// One checkpoint's state dict as a module tree: modules with totals, tensors with dtype and shape.
// The GUI's single-file view; the aligned two-sided diff model builds on the same module tree.
class CheckpointTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { Name, DTypeColumn, Shape, Parameters, Bytes, Location, ColumnCount };
    enum Role { KeyRole = Qt::UserRole + 1, IsModuleRole };

    explicit CheckpointTreeModel(QObject* parent = nullptr);
    ~CheckpointTreeModel() override;

    // Replaces the content (the state dict must outlive the model's use of it: keep its checkpoint alive).
    void setStateDict(const StateDict& stateDict);
    void clear();

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Item
    {
        Item* parent = nullptr;
        int row = 0;
        const ModuleNode* module = nullptr; // set for module rows
        int tensor = -1;                    // index into m_stateDict.entries for tensor rows
        std::vector<Item*> children;
    };
    void addChildren(Item* item, const ModuleNode& node);
    const Item* itemAt(const QModelIndex& index) const;

    StateDict m_stateDict;
    std::unique_ptr<ModuleNode> m_tree;
    std::vector<std::unique_ptr<Item>> m_items;
    Item* m_root = nullptr;
};

} // namespace statescope
