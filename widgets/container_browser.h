#pragma once

#include "session/checkpoint_worker.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTreeView;

namespace statescope {

class ObjectTreeModel;

// The container browser dock: what a checkpoint holds besides tensors (epoch, step, optimizer state,
// hyper-parameters, opaque objects), for the source or the target. A nested state dict can be chosen as the
// side's state dict from here (double-click, or the button).
class ContainerBrowser : public QWidget
{
    Q_OBJECT
public:
    explicit ContainerBrowser(QWidget* parent = nullptr);

    // `side` 0 is the source, 1 the target.
    void showCheckpoint(int side, const OpenedCheckpoint& opened);
    void clear(int side);
    void setSide(int side);
    int side() const;
    ObjectTreeModel* model(int side) const { return m_models[side]; }
    QTreeView* view() const { return m_view; }
    // Offers the state dict at this row of the shown side (does nothing for other rows).
    void chooseStateDict(const QModelIndex& index);

Q_SIGNALS:
    void stateDictChosen(int side, int index);

private:
    void updateButton();

    QComboBox* m_side = nullptr;
    QLabel* m_empty = nullptr;
    QTreeView* m_view = nullptr;
    QPushButton* m_use = nullptr;
    ObjectTreeModel* m_models[2] = {nullptr, nullptr};
};

} // namespace statescope
