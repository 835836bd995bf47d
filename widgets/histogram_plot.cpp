#include "histogram_plot.h"

#include "plot_export.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace statescope {

namespace {

const QColor kSideColours[2] = {QColor(0xe6, 0x51, 0x00), QColor(0x15, 0x65, 0xc0)}; // source, target

} // namespace

void setLogValueAxis(QCustomPlot* plot, bool log)
{
    QCPAxis* axis = plot->yAxis;
    axis->setScaleType(log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (log)
        axis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    else
        axis->setTicker(QSharedPointer<QCPAxisTicker>::create());
}

HistogramPlot::HistogramPlot(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_log = new QCheckBox(tr("Logarithmic counts"), this);
    m_plot = new QCustomPlot(this);
    m_plot->setMinimumHeight(160);
    m_plot->setWindowTitle(tr("Value histogram"));
    m_plot->xAxis->setLabel(tr("value"));
    m_plot->yAxis->setLabel(tr("count"));
    m_plot->legend->setVisible(true);
    m_plot->legend->setBrush(QColor(255, 255, 255, 200));
    const QString names[2] = {tr("Source"), tr("Target")};
    for (int side = 0; side < 2; ++side) {
        QCPGraph* graph = m_plot->addGraph();
        graph->setName(names[side]);
        graph->setLineStyle(QCPGraph::lsStepCenter);
        graph->setPen(QPen(kSideColours[side], 1.5));
        QColor fill = kSideColours[side];
        fill.setAlpha(70);
        graph->setBrush(fill);
    }
    layout->addWidget(m_log);
    layout->addWidget(m_plot, 1);
    addPlotExportMenu(m_plot, QStringLiteral("histogram"));
    connect(m_log, &QCheckBox::toggled, this, [this](bool log) {
        setLogValueAxis(m_plot, log);
        redraw();
    });
    clear();
}

void HistogramPlot::setLogScale(bool log)
{
    m_log->setChecked(log); // the box redraws when it changes
}

void HistogramPlot::clear()
{
    m_counts[0].clear();
    m_counts[1].clear();
    m_min = m_max = 0;
    redraw();
}

void HistogramPlot::setStatistics(const PairStatistics& statistics)
{
    for (int side = 0; side < 2; ++side) {
        const SideStatistics& s = statistics.sides[side];
        m_counts[side] = s.ok ? s.statistics.histogram : QVector<qint64>();
    }
    m_min = statistics.histogramMin;
    m_max = statistics.histogramMax;
    redraw();
}

void HistogramPlot::redraw()
{
    const bool log = m_log->isChecked();
    double top = 1;
    for (int side = 0; side < 2; ++side) {
        const QVector<qint64>& counts = m_counts[side];
        QVector<double> x(counts.size()), y(counts.size());
        const double width = counts.isEmpty() ? 0 : (m_max - m_min) / double(counts.size());
        for (int i = 0; i < counts.size(); ++i) {
            x[i] = m_min + (i + 0.5) * width;
            // A log axis has no zero: empty bins become gaps.
            y[i] = log && counts[i] == 0 ? std::numeric_limits<double>::quiet_NaN() : double(counts[i]);
            top = std::max(top, double(counts[i]));
        }
        m_plot->graph(side)->setData(x, y, true);
        m_plot->graph(side)->setVisible(!counts.isEmpty());
    }
    if (m_max > m_min)
        m_plot->xAxis->setRange(m_min, m_max);
    m_plot->yAxis->setRange(log ? 0.5 : 0, log ? top * 2 : top * 1.05);
    m_plot->replot();
}

} // namespace statescope
