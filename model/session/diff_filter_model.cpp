#include "diff_filter_model.h"

#include "diff_tree_model.h"

namespace statescope {

DiffFilterModel::DiffFilterModel(QObject* parent) : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
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
    invalidateRowsFilter();
}

void DiffFilterModel::setOnlyDifferences(bool only)
{
    m_onlyDifferences = only;
    invalidateRowsFilter();
}

bool DiffFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    // Modules are kept by recursive filtering when a tensor below them is accepted.
    if (index.data(DiffTreeModel::IsModuleRole).toBool())
        return false;
    if (m_onlyDifferences && index.data(DiffTreeModel::StatusRole).toInt() == static_cast<int>(RowStatus::Equal))
        return false;
    if (m_pattern.pattern().isEmpty())
        return true;
    return m_pattern.match(index.data(DiffTreeModel::KeyRole).toString()).hasMatch() ||
           m_pattern.match(index.data(DiffTreeModel::SourceKeyRole).toString()).hasMatch();
}

} // namespace statescope
