#include "error_key_delegate.h"

#include "session/checkpoint_tree_model.h"
#include "session/diff_tree_model.h"

#include <QAbstractProxyModel>
#include <QPainter>

namespace statescope {

namespace {

// The two tree models number their roles differently; find out which one is under the proxies.
const QAbstractItemModel* baseModel(const QAbstractItemModel* model)
{
    while (const auto* proxy = qobject_cast<const QAbstractProxyModel*>(model))
        model = proxy->sourceModel();
    return model;
}

} // namespace

QString ErrorKeyDelegate::tensorKey(const QModelIndex& index, QString* sourceKey)
{
    const QModelIndex row = index.siblingAtColumn(0);
    if (qobject_cast<const CheckpointTreeModel*>(baseModel(index.model()))) {
        if (row.data(CheckpointTreeModel::IsModuleRole).toBool())
            return {};
        if (sourceKey)
            *sourceKey = row.data(CheckpointTreeModel::KeyRole).toString();
        return row.data(CheckpointTreeModel::KeyRole).toString();
    }
    if (row.data(DiffTreeModel::IsModuleRole).toBool())
        return {};
    if (sourceKey)
        *sourceKey = row.data(DiffTreeModel::SourceKeyRole).toString();
    return row.data(DiffTreeModel::KeyRole).toString();
}

bool ErrorKeyDelegate::highlights(const QModelIndex& index) const
{
    if (m_keys.isEmpty() || !index.isValid())
        return false;
    QString source;
    const QString key = tensorKey(index, &source);
    return !key.isEmpty() && (m_keys.contains(key) || (!source.isEmpty() && m_keys.contains(source)));
}

void ErrorKeyDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    // StatusDelegate reads DiffTreeModel's status role, which the single-file model uses for its keys.
    if (qobject_cast<const CheckpointTreeModel*>(baseModel(index.model())))
        QStyledItemDelegate::paint(painter, option, index);
    else
        StatusDelegate::paint(painter, option, index);
    if (!highlights(index))
        return;
    painter->save();
    const QColor mark(0xc2, 0x18, 0x5b); // magenta: apart from every status colour
    painter->setPen(QPen(mark, 2));
    const QRect r = option.rect.adjusted(1, 1, -1, -1);
    painter->drawLine(r.topLeft(), r.topRight());
    painter->drawLine(r.bottomLeft(), r.bottomRight());
    if (index.column() == 0) {
        painter->drawLine(r.topLeft(), r.bottomLeft());
        QFont font = option.font;
        font.setBold(true);
        painter->setFont(font);
        painter->drawText(option.rect.adjusted(0, 0, -4, 0), Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("!"));
    }
    painter->restore();
}

} // namespace statescope
