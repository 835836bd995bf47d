#include "diff_filter_model.h"

#include "diff_tree_model.h"

namespace statescope {

DiffFilterModel::DiffFilterModel(QObject* parent) : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
}

void DiffFilterModel::setSourceModel(QAbstractItemModel* model)
{
    if (sourceModel())
        disconnect(sourceModel(), nullptr, this, nullptr);
    m_tree = qobject_cast<const DiffTreeModel*>(model);
    m_dirty = true;
    // acceptedRows already keeps a module when anything below it passes. Recursive filtering would walk
    // every rejected module's subtree again, at each level: only other sources need it.
    setRecursiveFilteringEnabled(!m_tree);
    // Connected before the base class connects its own handlers, so the cache is stale-marked before the
    // proxy re-filters anything in reaction to the same signal.
    if (model) {
        auto dirty = [this] { m_dirty = true; };
        connect(model, &QAbstractItemModel::modelReset, this, dirty);
        connect(model, &QAbstractItemModel::dataChanged, this, dirty);
        connect(model, &QAbstractItemModel::rowsInserted, this, dirty);
        connect(model, &QAbstractItemModel::rowsRemoved, this, dirty);
        connect(model, &QAbstractItemModel::rowsMoved, this, dirty);
        connect(model, &QAbstractItemModel::layoutChanged, this, dirty);
    }
    QSortFilterProxyModel::setSourceModel(model);
}

void DiffFilterModel::setPattern(const QString& text)
{
    QRegularExpression pattern;
    if (text.startsWith(QLatin1String("re:")))
        pattern = QRegularExpression(text.mid(3));
    else if (text.contains(QLatin1Char('*')) || text.contains(QLatin1Char('?')))
        pattern = QRegularExpression(QRegularExpression::wildcardToRegularExpression(
            text, QRegularExpression::UnanchoredWildcardConversion));
    else if (!text.isEmpty())
        pattern = QRegularExpression(QRegularExpression::escape(text), QRegularExpression::CaseInsensitiveOption);
    m_valid = pattern.isValid();
    m_pattern = m_valid ? pattern : QRegularExpression();
    m_plainText = text.startsWith(QLatin1String("re:")) || text.contains(QLatin1Char('*')) || text.contains(QLatin1Char('?'))
                      ? QString()
                      : text;
    m_pattern.optimize();
    m_dirty = true;
    refilter();
}

void DiffFilterModel::setOnlyDifferences(bool only)
{
    m_onlyDifferences = only;
    m_dirty = true;
    refilter();
}

// invalidateRowsFilter() re-filters each mapped parent and reports every changed range as rows removed or
// inserted: on a tree with thousands of expanded modules that is thousands of signals, each moving the
// views' persistent indexes and relayouting them. One layout change (mappings dropped and rebuilt on
// demand) costs the views one delayed layout.
void DiffFilterModel::refilter()
{
    if (m_tree)
        invalidate();
    else
        invalidateRowsFilter();
}

void DiffFilterModel::computeAccepted() const
{
    m_dirty = false;
    const bool hasPattern = !m_pattern.pattern().isEmpty();
    m_accepted = m_tree->acceptedRows([this, hasPattern](const QString& key, const QString& sourceKey, RowStatus status) {
        if (m_onlyDifferences && status == RowStatus::Equal)
            return false;
        if (!hasPattern)
            return true;
        if (!m_plainText.isEmpty())
            return key.contains(m_plainText, Qt::CaseInsensitive) ||
                   (sourceKey != key && sourceKey.contains(m_plainText, Qt::CaseInsensitive));
        return m_pattern.match(key).hasMatch() || (sourceKey != key && m_pattern.match(sourceKey).hasMatch());
    });
}

bool DiffFilterModel::hasChildren(const QModelIndex& parent) const
{
    if (m_tree && parent.isValid() && parent.model() == this)
        return m_tree->hasChildren(mapToSource(parent));
    return QSortFilterProxyModel::hasChildren(parent);
}

bool DiffFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (!filtering())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_tree) {
        // Any other source: the same rules through the roles, row by row.
        if (index.data(DiffTreeModel::IsModuleRole).toBool())
            return false; // kept by recursive filtering when a tensor below is accepted
        if (m_onlyDifferences && index.data(DiffTreeModel::StatusRole).toInt() == static_cast<int>(RowStatus::Equal))
            return false;
        return m_pattern.pattern().isEmpty() || m_pattern.match(index.data(DiffTreeModel::KeyRole).toString()).hasMatch() ||
               m_pattern.match(index.data(DiffTreeModel::SourceKeyRole).toString()).hasMatch();
    }
    const int row = m_tree->displayRowOf(index);
    if (m_dirty || row >= static_cast<int>(m_accepted.size()))
        computeAccepted();
    return row >= 0 && row < static_cast<int>(m_accepted.size()) && m_accepted[static_cast<std::size_t>(row)];
}

} // namespace statescope
