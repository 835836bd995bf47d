#include "change_chart.h"

#include "histogram_plot.h"
#include "plot_export.h"
#include "status_style.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolTip>
#include <QVBoxLayout>

#include <cmath>

namespace statescope {

namespace {

QString number(double v)
{
    if (std::isnan(v))
        return QStringLiteral("nan");
    if (std::isinf(v))
        return QStringLiteral("inf");
    return QString::number(v, 'g', 4);
}

} // namespace

ChangeChart::ChangeChart(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* top = new QHBoxLayout;
    m_summary = new QLabel(this);
    m_log = new QCheckBox(tr("Logarithmic scale"), this);
    top->addWidget(m_summary, 1);
    top->addWidget(m_log);
    m_plot = new QCustomPlot(this);
    m_plot->setMinimumHeight(160);
    m_plot->setWindowTitle(tr("Relative change by tensor"));
    m_plot->xAxis->setLabel(tr("tensor (model order)"));
    m_plot->yAxis->setLabel(tr("relative L2 change"));
    m_plot->setMouseTracking(true);
    m_bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    m_bars->setWidth(0.8);
    const QColor colour = statusStyle(RowStatus::ValueDiffers).colour;
    m_bars->setPen(QPen(colour));
    m_bars->setBrush(colour);
    layout->addLayout(top);
    layout->addWidget(m_plot, 1);
    addPlotExportMenu(m_plot, QStringLiteral("relative_change"));
    connect(m_log, &QCheckBox::toggled, this, [this](bool log) {
        setLogValueAxis(m_plot, log);
        redraw();
    });
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
        const int bar = barAt(event->position().toPoint());
        if (bar < 0) {
            QToolTip::hideText();
            return;
        }
        QToolTip::showText(event->globalPosition().toPoint(),
                           tr("%1\nrelative L2 change %2").arg(m_keys[bar], number(m_relL2[bar])), m_plot);
    });
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        const int bar = event->button() == Qt::LeftButton ? barAt(event->position().toPoint()) : -1;
        if (bar >= 0)
            Q_EMIT keyClicked(m_keys[bar]);
    });
    clear();
}

void ChangeChart::clear()
{
    m_keys.clear();
    m_relL2.clear();
    m_summary->setText(tr("Compare values (Tools > Compare Values) to see which tensors changed."));
    redraw();
}

void ChangeChart::setValues(const ValueDiffPtr& values)
{
    m_keys.clear();
    m_relL2.clear();
    if (!values) {
        clear();
        return;
    }
    int changed = 0;
    for (const ValueDiffEntry& e : values->entries) {
        if (e.state != ValueDiffEntry::State::Compared)
            continue;
        m_keys << e.targetKey;
        m_relL2 << e.values.relL2;
        if (!e.values.equal)
            ++changed;
    }
    m_summary->setText(tr("%1 of %n tensor(s) changed", nullptr, int(m_keys.size())).arg(changed));
    redraw();
}

void ChangeChart::setLogScale(bool log)
{
    m_log->setChecked(log); // the box redraws when it changes
}

// The height a bar is drawn at: 0/0 (both tensors zero) draws nothing; x/0 (the target is zero, the
// source is not) reaches the top of the chart.
double ChangeChart::drawnValue(int bar) const
{
    const double v = m_relL2[bar];
    if (std::isnan(v))
        return 0;
    if (std::isinf(v)) {
        double top = 0;
        for (double other : m_relL2) {
            if (std::isfinite(other))
                top = std::max(top, other);
        }
        return top > 0 ? top : 1;
    }
    return v;
}

void ChangeChart::redraw()
{
    const bool log = m_log->isChecked();
    QVector<double> x, y;
    double top = 0;
    double smallest = 1;
    for (int bar = 0; bar < m_keys.size(); ++bar) {
        const double v = drawnValue(bar);
        top = std::max(top, v);
        if (v > 0)
            smallest = std::min(smallest, v);
        if (log && v <= 0)
            continue; // no zero on a log axis
        x << bar;
        y << v;
    }
    m_bars->setData(x, y, true);
    m_plot->xAxis->setRange(-1, std::max<int>(1, int(m_keys.size())));
    if (log)
        m_plot->yAxis->setRange(smallest / 2, std::max(top, smallest) * 2);
    else
        m_plot->yAxis->setRange(0, top > 0 ? top * 1.05 : 1);
    m_plot->replot();
}

int ChangeChart::barAt(const QPoint& position) const
{
    if (!m_plot->axisRect()->rect().contains(position))
        return -1;
    const double x = m_plot->xAxis->pixelToCoord(position.x());
    const int bar = int(std::lround(x));
    // The whole column of a bar counts, so tiny bars can be hovered and clicked too.
    if (bar < 0 || bar >= m_keys.size() || std::abs(x - bar) > m_bars->width() / 2)
        return -1;
    return bar;
}

QPoint ChangeChart::barCentre(int bar) const
{
    const QRect area = m_plot->axisRect()->rect();
    return QPoint(int(std::lround(m_plot->xAxis->coordToPixel(bar))), area.center().y());
}

} // namespace statescope
