#include "plan_model.h"

#include <QMimeData>

namespace statescope {

const QLatin1String PlanModel::kMimeType("application/x-statescope-rule-row");

PlanModel::PlanModel(QObject* parent) : QAbstractListModel(parent) {}

void PlanModel::setPlan(const RepairPlan& plan)
{
    if (plan == m_plan)
        return;
    beginResetModel();
    m_plan = plan;
    endResetModel();
}

QString PlanModel::describe(const RepairRule& r)
{
    using Op = RepairRule::Op;
    auto quoted = [](const QString& text) -> QString { return QLatin1Char('"') + text + QLatin1Char('"'); };
    switch (r.op) {
    case Op::StripPrefix: return tr("Strip prefix %1").arg(quoted(r.prefix));
    case Op::AddPrefix:
        return r.pattern.isNull() ? tr("Add prefix %1").arg(quoted(r.prefix))
                                  : tr("Add prefix %1 to keys matching %2").arg(quoted(r.prefix), quoted(r.pattern));
    case Op::Rename: return tr("Rename %1 to %2").arg(quoted(r.pattern), quoted(r.replace));
    case Op::Map: return tr("Map %1 to %2").arg(r.from, r.to);
    case Op::Drop: return tr("Drop keys matching %1").arg(quoted(r.pattern));
    case Op::Cast:
        return r.dtype == QLatin1String("target") ? tr("Cast %1 to the target's dtype").arg(quoted(r.pattern))
                                                  : tr("Cast %1 to %2").arg(quoted(r.pattern), r.dtype);
    case Op::Transpose: return tr("Transpose %1").arg(quoted(r.pattern));
    case Op::TakeFromTarget: return tr("Take %1 from the target").arg(quoted(r.pattern));
    case Op::FillNumBatchesTracked: return tr("Fill num_batches_tracked where BatchNorm expects it");
    case Op::Resize:
        return r.mode == RepairRule::ResizeMode::SlicePad
                   ? tr("Resize %1 (slice or pad)").arg(quoted(r.pattern))
                   : tr("Resize %1 (interpolate, %n prefix token(s))", nullptr, r.prefixTokens).arg(quoted(r.pattern));
    }
    return repairOpName(r.op);
}

int PlanModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_plan.rules.size());
}

QVariant PlanModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_plan.rules.size())
        return {};
    const RepairRule& rule = m_plan.rules.at(index.row());
    switch (role) {
    case Qt::DisplayRole: return QString(QString::number(index.row() + 1) + QLatin1String(". ") + describe(rule));
    case Qt::ToolTipRole:
        return rule.isLossless() ? tr("Keeps every value bit for bit") : tr("Changes tensor values or drops keys");
    case Qt::CheckStateRole: return rule.enabled ? Qt::Checked : Qt::Unchecked;
    case OpRole: return repairOpName(rule.op);
    case LosslessRole: return rule.isLossless();
    default: return {};
    }
}

bool PlanModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || role != Qt::CheckStateRole || index.row() >= m_plan.rules.size())
        return false;
    const bool enabled = value.toInt() == Qt::Checked;
    if (enabled == m_plan.rules.at(index.row()).enabled)
        return false;
    Q_EMIT editRequested(m_plan.withRuleEnabled(index.row(), enabled),
                         enabled ? tr("Enable rule %1").arg(index.row() + 1) : tr("Disable rule %1").arg(index.row() + 1));
    return true;
}

Qt::ItemFlags PlanModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::ItemIsDropEnabled; // drops between rows
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable | Qt::ItemIsDragEnabled;
}

Qt::DropActions PlanModel::supportedDropActions() const
{
    return Qt::MoveAction;
}

QStringList PlanModel::mimeTypes() const
{
    return {kMimeType};
}

QMimeData* PlanModel::mimeData(const QModelIndexList& indexes) const
{
    if (indexes.isEmpty())
        return nullptr;
    auto* data = new QMimeData;
    data->setData(kMimeType, QByteArray::number(indexes.first().row()));
    return data;
}

bool PlanModel::canDropMimeData(const QMimeData* data, Qt::DropAction, int, int, const QModelIndex&) const
{
    return data && data->hasFormat(kMimeType);
}

// A move within the list: the view drops "before row" (or onto a row, meaning before it; -1 = at the end).
bool PlanModel::dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int, const QModelIndex& parent)
{
    if (!canDropMimeData(data, action, row, 0, parent))
        return false;
    bool ok = false;
    const int from = data->data(kMimeType).toInt(&ok);
    if (!ok || from < 0 || from >= m_plan.rules.size())
        return false;
    int before = row >= 0 ? row : (parent.isValid() ? parent.row() : int(m_plan.rules.size()));
    int to = before > from ? before - 1 : before; // the index it has once taken out of the list
    to = qBound(0, to, int(m_plan.rules.size()) - 1);
    if (to != from)
        Q_EMIT ruleMoveRequested(from, to);
    // Never let the view remove the dragged row itself: the plan changes through the session only.
    return false;
}

} // namespace statescope
