#pragma once

#include "session/value_jobs.h"

#include <QVector>
#include <QWidget>

class QCheckBox;
class QCustomPlot;

namespace statescope {

// Both sides' value histograms of one row drawn over each other (same bins), semi-transparent, with a legend
// and a logarithmic count axis on demand.
class HistogramPlot : public QWidget
{
    Q_OBJECT
public:
    explicit HistogramPlot(QWidget* parent = nullptr);

    void setStatistics(const PairStatistics& statistics);
    void clear();
    // The counts drawn for a side (0 source, 1 target); empty when that side has no histogram.
    const QVector<qint64>& counts(int side) const { return m_counts[side]; }
    double rangeMin() const { return m_min; }
    double rangeMax() const { return m_max; }
    void setLogScale(bool log);
    QCheckBox* logScaleBox() const { return m_log; }
    QCustomPlot* plot() const { return m_plot; }

private:
    void redraw();

    QCustomPlot* m_plot = nullptr;
    QCheckBox* m_log = nullptr;
    QVector<qint64> m_counts[2];
    double m_min = 0;
    double m_max = 0;
};

// Switches a plot's value axis between linear and logarithmic (log ticks, no zero).
void setLogValueAxis(QCustomPlot* plot, bool log);

} // namespace statescope
