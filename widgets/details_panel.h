#pragma once

#include "session/value_jobs.h"

#include <QHash>
#include <QPersistentModelIndex>
#include <QWidget>

class QLabel;
class QTabWidget;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace statescope {

class ChangeChart;
class HistogramPlot;

// The selected row, both sides side by side: where and how each tensor is stored, its statistics and the
// histograms of both sides' values, and the value comparison of the pair once values were compared.
// Modules show totals. A second tab holds the per-tensor change chart. It never reads a file: statistics are
// asked for through statisticsWanted() (debounced, so scrolling through rows does not start a job per row)
// and arrive through showStatistics().
class DetailsPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kHistogramBins = 64;

    explicit DetailsPanel(QWidget* parent = nullptr);

    // `row` is an index of a DiffTreeModel (column 0 or any); invalid clears the panel.
    void showRow(const QModelIndex& row);
    void showStatistics(const PairStatistics& statistics);
    void setValues(const ValueDiffPtr& values);
    // While a value comparison runs, statistics wait behind it on the worker (one worker runs every job in
    // turn): the panel says so instead of a bare "Computing...".
    void setComparisonRunning(bool running);
    void clear();

    // Test and tool access: the text of a field ("dtype", "shape", "stride", "min", "rel_l2", ...) on a side
    // (0 source, 1 target; pair figures are on side 0; -1 the label). Empty when the field is not shown.
    QString field(const QString& id, int side) const;
    QString currentKey() const { return m_key; }
    // The last statistics shown for the current row (key empty before they arrive).
    const PairStatistics& statistics() const { return m_statistics; }
    HistogramPlot* histogram() const { return m_histogram; }
    ChangeChart* changeChart() const { return m_chart; }
    QTabWidget* tabs() const { return m_tabs; }

Q_SIGNALS:
    void statisticsWanted(const QString& key);

private:
    QTreeWidgetItem* group(const QString& title);
    void addField(QTreeWidgetItem* group, const QString& id, const QString& label, const QString& source,
                  const QString& target);
    void rebuild();
    void showTensorRows();
    void showModuleRows();
    void showStatisticsRows();
    void showValueRows();

    QTabWidget* m_tabs = nullptr;
    QLabel* m_title = nullptr;
    QTreeWidget* m_fields = nullptr;
    HistogramPlot* m_histogram = nullptr;
    ChangeChart* m_chart = nullptr;
    QTimer* m_debounce = nullptr;
    QPersistentModelIndex m_row;
    QString m_key;
    bool m_isModule = false;
    bool m_comparisonRunning = false;
    PairStatistics m_statistics;
    ValueDiffPtr m_values;
    QHash<QString, int> m_valueIndex; // target key -> entry of m_values
};

} // namespace statescope
