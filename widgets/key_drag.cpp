#include "key_drag.h"

#include "session/diff_tree_model.h"

#include <QApplication>
#include <QDrag>
#include <QDragMoveEvent>
#include <QDropEvent>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainter>
#include <QTreeView>

namespace statescope {

const QLatin1String kKeyMimeType("application/x-statescope-key");

namespace {

// A frame around the row a drop would land on, drawn over the viewport (the view's own indicator belongs
// to its model's drag and drop, which the shared diff model does not do).
class DropIndicator : public QWidget
{
public:
    explicit DropIndicator(QWidget* parent) : QWidget(parent)
    {
        setAttribute(Qt::WA_TransparentForMouseEvents);
        hide();
    }

protected:
    void paintEvent(QPaintEvent*) override
    {
        QPainter painter(this);
        painter.setRenderHint(QPainter::Antialiasing);
        QPen pen(palette().color(QPalette::Highlight), 2);
        painter.setPen(pen);
        painter.drawRoundedRect(QRectF(rect()).adjusted(1, 1, -1, -1), 3, 3);
    }
};

} // namespace

QMimeData* keyMimeData(const DraggedKey& key)
{
    QJsonObject o;
    o.insert(QLatin1String("side"), key.side == Side::Source ? QLatin1String("source") : QLatin1String("target"));
    o.insert(QLatin1String("key"), key.key);
    o.insert(QLatin1String("source_key"), key.sourceKey);
    o.insert(QLatin1String("module"), key.isModule);
    auto* data = new QMimeData;
    data->setData(kKeyMimeType, QJsonDocument(o).toJson(QJsonDocument::Compact));
    data->setText(key.key); // dropped into a text field elsewhere: the key
    return data;
}

std::optional<DraggedKey> draggedKeyOf(const QMimeData* data)
{
    if (!data || !data->hasFormat(kKeyMimeType))
        return std::nullopt;
    const QJsonObject o = QJsonDocument::fromJson(data->data(kKeyMimeType)).object();
    const QString side = o.value(QLatin1String("side")).toString();
    if (side != QLatin1String("source") && side != QLatin1String("target"))
        return std::nullopt;
    DraggedKey key;
    key.side = side == QLatin1String("source") ? Side::Source : Side::Target;
    key.key = o.value(QLatin1String("key")).toString();
    key.sourceKey = o.value(QLatin1String("source_key")).toString(key.key);
    key.isModule = o.value(QLatin1String("module")).toBool();
    if (key.key.isEmpty())
        return std::nullopt;
    return key;
}

KeyDragHandler::KeyDragHandler(QTreeView* view, Side side, Accepts accepts, Draggable draggable, QObject* parent)
    : QObject(parent), m_view(view), m_side(side), m_accepts(std::move(accepts)), m_draggable(std::move(draggable))
{
    qRegisterMetaType<DraggedKey>();
    view->setAcceptDrops(true);
    view->viewport()->setAcceptDrops(true);
    view->viewport()->installEventFilter(this);
    m_indicator = new DropIndicator(view->viewport());
}

DraggedKey KeyDragHandler::keyOf(const QModelIndex& row) const
{
    const QModelIndex first = row.siblingAtColumn(0);
    DraggedKey key;
    key.side = m_side;
    key.key = first.data(DiffTreeModel::KeyRole).toString();
    key.sourceKey = first.data(DiffTreeModel::SourceKeyRole).toString();
    key.isModule = first.data(DiffTreeModel::IsModuleRole).toBool();
    return key;
}

bool KeyDragHandler::indicatorVisible() const
{
    return m_indicator->isVisible();
}

QModelIndex KeyDragHandler::dropRow(const QMimeData* data, const QPoint& pos, DraggedKey* dragged) const
{
    const std::optional<DraggedKey> key = draggedKeyOf(data);
    if (!key || key->side == m_side)
        return {}; // only rows of the other side map onto this one
    const QModelIndex row = m_view->indexAt(pos).siblingAtColumn(0);
    if (!row.isValid() || !m_accepts(*key, row))
        return {};
    if (dragged)
        *dragged = *key;
    return row;
}

void KeyDragHandler::showIndicator(const QModelIndex& row)
{
    if (!row.isValid()) {
        m_indicator->hide();
        return;
    }
    const QRect rect = m_view->visualRect(row);
    m_indicator->setGeometry(0, rect.top(), m_view->viewport()->width(), rect.height());
    m_indicator->show();
    m_indicator->raise();
}

bool KeyDragHandler::eventFilter(QObject* watched, QEvent* event)
{
    if (watched != m_view->viewport())
        return false;
    switch (event->type()) {
    case QEvent::MouseButtonPress: {
        auto* e = static_cast<QMouseEvent*>(event);
        m_pressed = e->button() == Qt::LeftButton ? QPersistentModelIndex(m_view->indexAt(e->position().toPoint()))
                                                  : QPersistentModelIndex();
        m_pressPos = e->position().toPoint();
        return false; // the view still selects
    }
    case QEvent::MouseMove: {
        auto* e = static_cast<QMouseEvent*>(event);
        if (!(e->buttons() & Qt::LeftButton) || !m_pressed.isValid() ||
            (e->position().toPoint() - m_pressPos).manhattanLength() < QApplication::startDragDistance())
            return false;
        const QModelIndex row = QModelIndex(m_pressed).siblingAtColumn(0);
        m_pressed = QPersistentModelIndex();
        if (!m_draggable(row))
            return false;
        auto* drag = new QDrag(m_view);
        drag->setMimeData(keyMimeData(keyOf(row)));
        drag->exec(Qt::LinkAction | Qt::CopyAction, Qt::LinkAction);
        return true;
    }
    case QEvent::DragEnter:
    case QEvent::DragMove: {
        auto* e = static_cast<QDragMoveEvent*>(event);
        const std::optional<DraggedKey> key = draggedKeyOf(e->mimeData());
        if (!key || key->side == m_side)
            return false; // files go on to the pane; our own side's rows are not dropped here
        const QModelIndex row = dropRow(e->mimeData(), e->position().toPoint(), nullptr);
        showIndicator(row);
        if (event->type() == QEvent::DragEnter || row.isValid()) {
            // Entering is accepted anywhere so that moves over the rows keep arriving; a row decides the drop.
            e->setDropAction(Qt::LinkAction);
            e->accept();
        }
        if (!row.isValid() && event->type() == QEvent::DragMove)
            e->ignore();
        return true;
    }
    case QEvent::DragLeave:
        m_indicator->hide();
        return false;
    case QEvent::Drop: {
        auto* e = static_cast<QDropEvent*>(event);
        if (!draggedKeyOf(e->mimeData()))
            return false;
        m_indicator->hide();
        DraggedKey dragged;
        const QModelIndex row = dropRow(e->mimeData(), e->position().toPoint(), &dragged);
        if (!row.isValid()) {
            e->ignore();
            return true;
        }
        e->setDropAction(Qt::LinkAction);
        e->accept();
        Q_EMIT keyDropped(dragged, row);
        return true;
    }
    default:
        return false;
    }
}

} // namespace statescope
