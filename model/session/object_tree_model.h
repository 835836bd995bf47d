#pragma once

#include "checkpoint/state_dict.h"

#include <QAbstractItemModel>
#include <QVector>

#include <memory>
#include <vector>

namespace statescope {

class Checkpoint;
class PyArena;
struct ObjectNode;

// The non-tensor content of a checkpoint as a tree (the container browser): epoch, step, optimizer state,
// hyper-parameters, opaque objects as class + fields. Tensors are one-line summaries and whole state dicts
// one collapsed row ("state dict: 42 tensors"), since the module trees show those. A safetensors file's
// text metadata is one more "__metadata__" row of key -> string rows.
//
// The object tree of an untrusted pickle can be huge or shared exponentially ("billion laughs"), so rows are
// made lazily, one level when a row is first asked for its children, at most maxChildren() per level (the
// rest is one "... N more" row); a cycle ends in a leaf. Nothing here reads the file: objects are in memory.
class ObjectTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { Name, Value, Type, ColumnCount };
    enum Role {
        PathRole = Qt::UserRole + 1, // dict keys / list indices from the root joined by '/' (StateDict::path style)
        StateDictRole,               // index into the candidates for a state-dict row, else -1
        ScalarRole,                  // bool, int, float or string value of a scalar row (invalid otherwise)
        ElidedRole,                  // the "... N more" row: N
    };

    explicit ObjectTreeModel(QObject* parent = nullptr);
    ~ObjectTreeModel() override;

    // Shows the pickle's object tree of `checkpoint`; `candidates` (findStateDicts) become collapsed rows.
    void setCheckpoint(std::shared_ptr<const Checkpoint> checkpoint, const QVector<StateDict>& candidates);
    void clear();
    const QVector<StateDict>& stateDicts() const { return m_candidates; }
    // The row at `path` (as PathRole gives it), made on the way if needed; invalid when there is none.
    QModelIndex indexOfPath(const QString& path) const;
    static int maxChildren() { return s_maxChildren; }
    static void setMaxChildren(int rows) { s_maxChildren = rows; } // tests

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    ObjectNode* nodeAt(const QModelIndex& index) const;
    void build(ObjectNode* node) const; // makes the node's children once
    void addTextMetadata();

    std::shared_ptr<const Checkpoint> m_checkpoint;
    QVector<StateDict> m_candidates;
    std::unique_ptr<ObjectNode> m_root;
    std::unique_ptr<PyArena> m_metadata; // the objects of the "__metadata__" row
    static inline int s_maxChildren = 1000;
};

} // namespace statescope
