#pragma once

#include "session/diff_tree_model.h"

#include <QVector>
#include <QWidget>

namespace statescope {

// A thin strip beside the trees marking where the differences are in the whole tree (model order, top to
// bottom), coloured by status as the rows are; a click asks to jump to the nearest one (Meld's and
// WinMerge's location pane).
class OverviewStrip : public QWidget
{
    Q_OBJECT
public:
    explicit OverviewStrip(QWidget* parent = nullptr);

    // positions: (row in model display order, status) of each difference; rows: all rows of the tree.
    void setDifferences(const QVector<std::pair<int, RowStatus>>& positions, int rows);
    int markCount() const { return static_cast<int>(m_positions.size()); }
    // The y coordinate (in this widget) where the mark of difference `index` is drawn.
    int markY(int index) const;
    QSize sizeHint() const override { return {14, 100}; }

Q_SIGNALS:
    // The difference nearest to the click, as an index into the positions given to setDifferences().
    void differenceClicked(int index);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    QVector<std::pair<int, RowStatus>> m_positions;
    int m_rows = 0;
};

} // namespace statescope
