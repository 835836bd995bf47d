#include "overview_strip.h"

#include "status_style.h"

#include <QMouseEvent>
#include <QPainter>

#include <cstdlib>

namespace statescope {

namespace {
constexpr int kMargin = 2;
} // namespace

OverviewStrip::OverviewStrip(QWidget* parent) : QWidget(parent)
{
    setMinimumWidth(10);
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Where the differences are; click to go there"));
}

void OverviewStrip::setDifferences(const QVector<std::pair<int, RowStatus>>& positions, int rows)
{
    m_positions = positions;
    m_rows = std::max(rows, 1);
    update();
}

int OverviewStrip::markY(int index) const
{
    const int usable = std::max(1, height() - 2 * kMargin);
    return kMargin + static_cast<int>(static_cast<qint64>(m_positions.at(index).first) * usable / m_rows);
}

void OverviewStrip::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    for (int i = 0; i < m_positions.size(); ++i)
        painter.fillRect(QRect(1, markY(i), width() - 2, 3), statusStyle(m_positions.at(i).second).colour);
}

void OverviewStrip::mousePressEvent(QMouseEvent* event)
{
    if (m_positions.isEmpty())
        return;
    const int y = event->position().toPoint().y();
    int best = 0;
    for (int i = 1; i < m_positions.size(); ++i) {
        if (std::abs(markY(i) - y) < std::abs(markY(best) - y))
            best = i;
    }
    Q_EMIT differenceClicked(best);
}

} // namespace statescope
