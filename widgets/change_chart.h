#pragma once

#include "session/value_jobs.h"

#include <QStringList>
#include <QVector>
#include <QWidget>

class QCheckBox;
class QCPBars;
class QCustomPlot;
class QLabel;

namespace statescope {

// "What did fine-tuning touch": the relative L2 change ||a - b|| / ||b|| of every compared tensor, as bars in
// model (target) order. Hovering a bar names its key; clicking it asks for that key to be selected.
class ChangeChart : public QWidget
{
    Q_OBJECT
public:
    explicit ChangeChart(QWidget* parent = nullptr);

    void setValues(const ValueDiffPtr& values);
    void clear();
    int barCount() const { return int(m_keys.size()); }
    QString keyAt(int bar) const { return m_keys.value(bar); }
    double relL2At(int bar) const { return m_relL2.value(bar); }
    // The bar under a point of plot() (-1 for none).
    int barAt(const QPoint& position) const;
    // Where bar `bar` is drawn in plot() coordinates (its middle).
    QPoint barCentre(int bar) const;
    void setLogScale(bool log);
    QCheckBox* logScaleBox() const { return m_log; }
    QCustomPlot* plot() const { return m_plot; }

Q_SIGNALS:
    void keyClicked(const QString& key);

private:
    void redraw();
    double drawnValue(int bar) const;

    QCustomPlot* m_plot = nullptr;
    QCPBars* m_bars = nullptr;
    QCheckBox* m_log = nullptr;
    QLabel* m_summary = nullptr;
    QStringList m_keys;
    QVector<double> m_relL2;
};

} // namespace statescope
