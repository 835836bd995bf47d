#include "view_state.h"

#include <QItemSelectionModel>
#include <QScrollBar>
#include <QTimer>
#include <QTreeView>

namespace statescope {

void ViewState::capture(const QTreeView* view, int keyRole)
{
    m_expanded.clear();
    m_current.clear();
    const QAbstractItemModel* model = view->model();
    if (!model)
        return;
    std::vector<QModelIndex> stack{QModelIndex()};
    while (!stack.empty()) {
        const QModelIndex parent = stack.back();
        stack.pop_back();
        for (int row = 0, rows = model->rowCount(parent); row < rows; ++row) {
            const QModelIndex child = model->index(row, 0, parent);
            if (view->isExpanded(child)) {
                m_expanded.insert(child.data(keyRole).toString());
                stack.push_back(child);
            }
        }
    }
    if (view->selectionModel() && view->selectionModel()->currentIndex().isValid())
        m_current = view->selectionModel()->currentIndex().siblingAtColumn(0).data(keyRole).toString();
    m_scroll = view->verticalScrollBar()->value();
}

void ViewState::restore(QTreeView* view, const std::function<QModelIndex(const QString&)>& indexOfKey) const
{
    view->collapseAll();
    for (const QString& key : m_expanded) {
        const QModelIndex index = indexOfKey(key);
        if (index.isValid())
            view->expand(index);
    }
    if (!m_current.isEmpty() && view->selectionModel()) {
        const QModelIndex index = indexOfKey(m_current);
        if (index.isValid())
            view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    // The scroll range grows when the view lays out the rows just expanded, which it does lazily.
    QTimer::singleShot(0, view, [view, scroll = m_scroll] { view->verticalScrollBar()->setValue(scroll); });
}

} // namespace statescope
