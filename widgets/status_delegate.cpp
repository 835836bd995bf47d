#include "status_delegate.h"

#include "session/diff_tree_model.h"
#include "status_style.h"

#include <QPainter>

namespace statescope {

namespace {
constexpr int kBadge = 14;
constexpr int kBadgeMargin = 3;
} // namespace

void StatusDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const QVariant statusValue = index.data(DiffTreeModel::StatusRole);
    if (!statusValue.isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const auto status = static_cast<RowStatus>(statusValue.toInt());
    const StatusStyle style = statusStyle(status);
    if (status != RowStatus::Equal && !(option.state & QStyle::State_Selected)) {
        QColor tint = style.colour;
        tint.setAlpha(38);
        painter->fillRect(option.rect, tint);
    }
    if (index.column() != DiffTreeModel::Name) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem text = option;
    text.rect.adjust(kBadge + 2 * kBadgeMargin, 0, 0, 0);
    QStyledItemDelegate::paint(painter, text, index);
    if (status == RowStatus::Equal)
        return;
    const QRect badge(option.rect.left() + kBadgeMargin, option.rect.center().y() - kBadge / 2, kBadge, kBadge);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(style.colour);
    painter->drawRoundedRect(badge, 3, 3);
    painter->setPen(Qt::white);
    QFont font = option.font;
    font.setBold(true);
    painter->setFont(font);
    painter->drawText(badge, Qt::AlignCenter, style.glyph);
    painter->restore();
}

QSize StatusDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    if (index.column() == DiffTreeModel::Name)
        size.rwidth() += kBadge + 2 * kBadgeMargin;
    size.setHeight(std::max(size.height(), kBadge + 4));
    return size;
}

} // namespace statescope
