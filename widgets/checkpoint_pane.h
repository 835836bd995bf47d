#pragma once

#include "session/checkpoint_worker.h"

#include <QAbstractItemModel>
#include <QWidget>

class QAbstractItemModel;
class QComboBox;
class QItemSelectionModel;
class QLabel;
class QTreeView;

namespace statescope {

class BatchTreeView;
class CheckpointTreeModel;
class DiffTreeModel;

// One side of the window: the file's name and format, a choice of state dict when the file holds several,
// and the module tree. Files dropped on it are offered through fileDropped(); it never opens them itself.
class CheckpointPane : public QWidget
{
    Q_OBJECT
public:
    explicit CheckpointPane(const QString& title, QWidget* parent = nullptr);

    void showCheckpoint(const OpenedCheckpoint& opened);
    void showMessage(const QString& message);
    // Shows this side's columns of the aligned two-sided model (a DiffTreeModel or a proxy of one; both
    // panes share it and its selection).
    void showDiff(QAbstractItemModel* model, QItemSelectionModel* selection, bool sourceSide);
    QTreeView* view() const;
    // Expands many rows of the shown model with one layout of the view instead of one per row (each
    // expand() of a laid-out QTreeView re-inserts rows into its row list: thousands of them take seconds).
    void expandBatch(const QModelIndexList& indexes);
    // Lets the next expand() calls only record the index; the view lays out once before its next paint.
    void deferLayout();
    // Expands one row mirrored from the other pane: the first of a burst lays out as usual, the rest of the
    // same event-loop turn (an expandAll, a batch) wait for one layout.
    void followExpand(const QModelIndex& index);
    CheckpointTreeModel* model() const { return m_model; }
    // Picks the file's state dict `index` as the combo box would (emits stateDictChosen when it changes).
    void chooseStateDict(int index);

Q_SIGNALS:
    void fileDropped(const QString& path);
    void stateDictChosen(int index);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void selectStateDict(int index);
    void arrangeSingleFileView();

    QString m_title;
    QLabel* m_header = nullptr;
    QLabel* m_warning = nullptr;
    QComboBox* m_stateDicts = nullptr;
    BatchTreeView* m_view = nullptr;
    CheckpointTreeModel* m_model = nullptr;
    OpenedCheckpoint m_opened;
};

} // namespace statescope
