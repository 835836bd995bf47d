#pragma once

#include "checkpoint/state_dict.h"
#include "diff/diff_result.h"
#include "diff/value_diff.h"
#include "repair/repair_plan.h"
#include "repair/repaired_state_dict.h"

#include <QAbstractItemModel>
#include <QHash>

#include <functional>
#include <memory>
#include <vector>

namespace statescope {

class Checkpoint;
struct DiffTree;
struct DiffTreeNode;

// What one row says about a key (a role, not a colour: delegates choose colour and icon). Ordered from
// harmless to worst: a module shows the worst status below it.
enum class RowStatus {
    Equal,         // on both sides, same shape and dtype (and values, once compared)
    FilledByTorch, // missing, but BatchNorm fills num_batches_tracked silently
    IgnoredByTorch,// only in the source, and torch skips it without a word (below a parameter)
    MappedByRule,  // on both sides after the repair plan renamed the source key
    ValueDiffers,  // same shape and dtype, different values
    DtypeDiffers,  // loads (copy_ casts), but the dtypes differ
    Unexpected,    // only in the source
    Missing,       // only in the target
    ShapeMismatch, // on both sides, shapes torch refuses
};

// Everything the aligned view shows, as one immutable snapshot made on the worker.
struct DiffSnapshot
{
    std::shared_ptr<const Checkpoint> source; // keep the files (and their tensors) alive
    std::shared_ptr<const Checkpoint> target;
    StateDict sourceDict; // after the repair plan
    StateDict targetDict;
    StateDict originalSourceDict; // the chosen source state dict as the file has it (what export reads)
    RepairPlan plan;              // the plan this snapshot was made with
    std::shared_ptr<const RepairedStateDict> repaired; // the plan's result (identity for an empty plan)
    std::shared_ptr<const DiffResult> verdict;
    QString modelName; // the class name in torch's message
    QHash<QString, QString> originalSourceKeys; // output key -> key in the source file, where they differ
    std::shared_ptr<const ValueDiffResult> values; // may be null (no value comparison yet)
    // The rows of the aligned view, built on the worker (buildDiffTree) so that showing a 100k-key diff costs
    // the GUI thread a pointer swap. Null: DiffTreeModel::setSnapshot builds it (small in-memory snapshots).
    // The model that shows it owns it from then on (value comparisons update row statuses in place).
    std::shared_ptr<DiffTree> tree;
};

// The row tree of a snapshot: modules and keys of both sides, statuses from the verdict, rolled-up totals.
// Pure computation on immutable data: runs on the worker thread.
std::shared_ptr<DiffTree> buildDiffTree(const DiffSnapshot& snapshot);

// The source and the target as one tree: rows are module paths and tensor keys of both sides after the
// repair plan, so a source key mapped onto a target key sits on the target key's row. Target (model) order
// first, then source-only keys in source order within their module. Both tree views share this model and
// each hides the other side's columns.
class DiffTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column {
        Name,
        SourceDType,
        SourceShape,
        SourceParameters,
        SourceBytes,
        TargetDType,
        TargetShape,
        TargetParameters,
        TargetBytes,
        ColumnCount
    };
    enum Role {
        StatusRole = Qt::UserRole + 1, // int(RowStatus)
        KeyRole,                       // full key or module path
        SourceKeyRole,                 // the key in the source file (differs when a rule renamed it)
        IsModuleRole,
        DifferenceCountRole,           // tensors below (or this one) whose status is not Equal
    };

    explicit DiffTreeModel(QObject* parent = nullptr);
    ~DiffTreeModel() override;

    void setSnapshot(const DiffSnapshot& snapshot);
    void clear();
    // Adds a value comparison of the current snapshot: tensors whose values differ become ValueDiffers, in
    // place (dataChanged, no reset), so expansion and selection survive.
    void setValues(std::shared_ptr<const ValueDiffResult> values);
    const DiffSnapshot& snapshot() const { return m_snapshot; }

    // The next (or previous) tensor row after `from` in display order whose status is not Equal, wrapping
    // around; invalid when there is none. An invalid `from` starts before the first (or after the last) row.
    QModelIndex nextDifference(const QModelIndex& from, bool forward) const;
    QModelIndex firstDifference() const { return nextDifference({}, true); }
    QModelIndex lastDifference() const { return nextDifference({}, false); }
    QModelIndex indexOfKey(const QString& key) const;
    // Display-order position of every difference, for the overview strip (row count of the flattened tree).
    QVector<std::pair<int, RowStatus>> differencePositions() const;
    int displayRowCount() const;
    // The row at a display-order position (as differencePositions() gives them).
    QModelIndex indexAtDisplayRow(int row) const;
    // The display-order position of a row (-1 for the root), cheap enough to call for every row.
    int displayRowOf(const QModelIndex& index) const;
    // Which display-order rows a filter lets through, in one pass over the tree: `accept(key, sourceKey,
    // status)` decides for each tensor; a module passes when anything below it does.
    std::vector<bool> acceptedRows(const std::function<bool(const QString& key, const QString& sourceKey, RowStatus status)>&
                                       accept) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString statusName(RowStatus status);

private:
    using Node = DiffTreeNode;
    QModelIndex indexOf(const Node* node) const;
    const Node* nodeAt(const QModelIndex& index) const;

    DiffSnapshot m_snapshot;
    std::shared_ptr<DiffTree> m_tree; // never null
};

} // namespace statescope
