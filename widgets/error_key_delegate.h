#pragma once

#include "status_delegate.h"

#include <QSet>
#include <QString>

namespace statescope {

// The row delegate of both trees once a torch error has been pasted: rows whose key the error names are
// framed and marked "!" on top of their usual status drawing, in the aligned diff and in the single-file
// view alike (the keys of a pasted error need no target file).
class ErrorKeyDelegate : public StatusDelegate
{
    Q_OBJECT
public:
    using StatusDelegate::StatusDelegate;

    void setKeys(const QSet<QString>& keys) { m_keys = keys; }
    const QSet<QString>& keys() const { return m_keys; }
    // Whether the row at `index` (of either tree's model or a proxy of it) is one the error names.
    bool highlights(const QModelIndex& index) const;
    // The key of a tensor row, empty for modules.
    static QString tensorKey(const QModelIndex& index, QString* sourceKey = nullptr);

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    QSet<QString> m_keys;
};

} // namespace statescope
