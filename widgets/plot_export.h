#pragma once

#include <QString>

class QCustomPlot;

namespace statescope {

// Writes a plot as PNG or SVG, chosen by the file's suffix (".svg", anything else is PNG), at the plot's
// current size. Returns false with a one-line *error.
bool savePlot(QCustomPlot* plot, const QString& path, QString* error);

// Gives a plot a context menu with "Save as PNG..." and "Save as SVG..."; `baseName` is the suggested file name.
void addPlotExportMenu(QCustomPlot* plot, const QString& baseName);

} // namespace statescope
