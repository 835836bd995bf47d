#pragma once

#include "session/session.h"

#include <QObject>
#include <QPersistentModelIndex>
#include <QPoint>

#include <functional>
#include <optional>

class QMimeData;
class QTreeView;
class QWidget;

namespace statescope {

// What a drag from one of the trees carries: the row's key (or module path) as the plan leaves it, its key
// in the source file, which side it came from and whether it is a module.
struct DraggedKey
{
    Side side = Side::Source;
    QString key;
    QString sourceKey;
    bool isModule = false;
};

// The MIME type of a dragged row (JSON: side, key, source_key, module).
extern const QLatin1String kKeyMimeType;
QMimeData* keyMimeData(const DraggedKey& key);
std::optional<DraggedKey> draggedKeyOf(const QMimeData* data);

// Drag and drop of rows between the two trees, added to a pane's view from outside (the pane only knows
// files): starts drags of this side's rows, and accepts drops of the other side's rows onto the rows
// `accepts` allows, with a drop indicator over the row. Any other drag (files) passes through to the pane.
class KeyDragHandler : public QObject
{
    Q_OBJECT
public:
    using Accepts = std::function<bool(const DraggedKey& dragged, const QModelIndex& onto)>;
    using Draggable = std::function<bool(const QModelIndex& row)>;

    KeyDragHandler(QTreeView* view, Side side, Accepts accepts, Draggable draggable, QObject* parent = nullptr);

    // The payload a drag of `row` (an index of the view's model) carries.
    DraggedKey keyOf(const QModelIndex& row) const;
    QTreeView* view() const { return m_view; }
    bool indicatorVisible() const;

Q_SIGNALS:
    void keyDropped(const statescope::DraggedKey& dragged, const QModelIndex& onto);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QModelIndex dropRow(const QMimeData* data, const QPoint& pos, DraggedKey* dragged) const;
    void showIndicator(const QModelIndex& row);

    QTreeView* m_view = nullptr;
    Side m_side = Side::Source;
    Accepts m_accepts;
    Draggable m_draggable;
    QWidget* m_indicator = nullptr;
    QPoint m_pressPos;
    QPersistentModelIndex m_pressed;
};

} // namespace statescope

Q_DECLARE_METATYPE(statescope::DraggedKey)
