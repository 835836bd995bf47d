#pragma once

#include "repair/repair_plan.h"

#include <QAbstractListModel>

namespace statescope {

// The repair plan as a list, one row per rule in the order they apply: a readable description, a check box
// for "enabled", and drag within the list to reorder. The model never changes the plan itself: every edit
// is offered through editRequested() as the whole new plan, so the window can make it an undoable command;
// the plan shown changes only through setPlan() (the session's plan).
class PlanModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        OpRole = Qt::UserRole + 1, // the rule's op name as in the rules file ("strip_prefix", ...)
        LosslessRole,
    };

    explicit PlanModel(QObject* parent = nullptr);

    void setPlan(const RepairPlan& plan);
    const RepairPlan& plan() const { return m_plan; }

    // One line a user reads: "Strip prefix "module."", "Map fc.weight -> head.weight".
    static QString describe(const RepairRule& rule);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    Qt::DropActions supportedDropActions() const override;
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    bool canDropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                         const QModelIndex& parent) const override;
    bool dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                      const QModelIndex& parent) override;

    static const QLatin1String kMimeType; // the dragged rule's row, for moves within this list

Q_SIGNALS:
    // A user edit: `plan` is the whole new plan, `text` names the change for the undo history.
    void editRequested(const statescope::RepairPlan& plan, const QString& text);
    // A drag within the list moves rule `from` to `to`: the view makes it the same edit as its Up/Down
    // buttons (and keeps the moved rule current, which a reset showing the new plan would not).
    void ruleMoveRequested(int from, int to);

private:
    RepairPlan m_plan;
};

} // namespace statescope
