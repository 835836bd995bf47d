#pragma once

#include <QModelIndex>
#include <QSet>
#include <QString>

#include <functional>

class QTreeView;

namespace statescope {

// What the user had open in a tree, by key rather than by row: which modules were expanded, which row was
// current and where the view was scrolled. Taken before a reload or a swap and put back afterwards for the
// keys that still exist (a new snapshot has new rows, so model indexes cannot be kept).
class ViewState
{
public:
    // `keyRole`: the model role holding the row's key or module path. Walks only expanded rows.
    void capture(const QTreeView* view, int keyRole);
    // Expands exactly what was expanded (where it still exists), makes the old current key current again and
    // restores the scroll position. `indexOfKey` maps a key to an index of the view's model (invalid when the
    // key is gone or filtered out).
    void restore(QTreeView* view, const std::function<QModelIndex(const QString&)>& indexOfKey) const;
    bool isEmpty() const { return m_expanded.isEmpty() && m_current.isEmpty(); }
    const QSet<QString>& expanded() const { return m_expanded; }
    QString current() const { return m_current; }

private:
    QSet<QString> m_expanded;
    QString m_current;
    int m_scroll = 0;
};

} // namespace statescope
