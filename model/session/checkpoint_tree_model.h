#pragma once

#include "checkpoint/module_tree.h"
#include "checkpoint/state_dict.h"

#include <QAbstractItemModel>

#include <deque>
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
    // Up to synchronousLimit() tensors the rows are there on return; a larger state dict (100k keys) is
    // arranged on a pool thread meanwhile the model is empty, and arrives as one model reset, so the GUI
    // thread never spends more than a pointer swap on it. isBuilding() tells which.
    // `keepAlive` (the state dict's checkpoint) is held until the rows are replaced: entries point into it.
    void setStateDict(const StateDict& stateDict, std::shared_ptr<const void> keepAlive = {});
    void clear();
    bool isBuilding() const { return m_building; }
    static int synchronousLimit() { return s_synchronousLimit; }
    static void setSynchronousLimit(int tensors) { s_synchronousLimit = tensors; } // tests

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
        int tensor = -1;                    // index into stateDict.entries for tensor rows
        std::vector<Item*> children;
    };
    // Everything the model shows, built in one go (on any thread) and swapped in whole.
    struct Rows
    {
        StateDict stateDict;
        std::shared_ptr<const void> keepAlive;
        std::unique_ptr<ModuleNode> tree;
        std::deque<Item> items;
        Item* root = nullptr;
    };
    static std::shared_ptr<Rows> buildRows(const StateDict& stateDict, std::shared_ptr<const void> keepAlive = {});
    static void addChildren(Rows& rows, Item* item, const ModuleNode& node);
    void swapIn(std::shared_ptr<Rows> rows);
    const Item* itemAt(const QModelIndex& index) const;

    std::shared_ptr<Rows> m_rows; // never null
    quint64 m_generation = 0;     // a build for an older setStateDict is dropped
    bool m_building = false;
    static inline int s_synchronousLimit = 5000;
};

} // namespace statescope
