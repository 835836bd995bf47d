#pragma once

#include <QStyledItemDelegate>

namespace statescope {

// Draws a row's status (DiffTreeModel::StatusRole) as a tinted background and, in the name column, a
// coloured badge with a glyph that stays visible on selected rows.
class StatusDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace statescope
