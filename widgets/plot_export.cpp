#include "plot_export.h"

#include <qcustomplot.h>

#include <QCoreApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSvgGenerator>

namespace statescope {

namespace {

// Gives this file's free functions a translation context.
struct PlotExport
{
    Q_DECLARE_TR_FUNCTIONS(statescope::PlotExport)
};

bool saveSvg(QCustomPlot* plot, const QString& path, QString* error)
{
    const int width = std::max(plot->width(), 100);
    const int height = std::max(plot->height(), 80);
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(QSize(width, height));
    generator.setViewBox(QRect(0, 0, width, height));
    generator.setTitle(plot->windowTitle());
    QCPPainter painter;
    if (!painter.begin(&generator)) {
        *error = PlotExport::tr("cannot write %1").arg(path);
        return false;
    }
    // toPainter draws vectors (no pixmap cache), so the SVG scales cleanly.
    plot->toPainter(&painter, width, height);
    painter.end();
    if (!QFileInfo::exists(path)) {
        *error = PlotExport::tr("cannot write %1").arg(path);
        return false;
    }
    return true;
}

} // namespace

bool savePlot(QCustomPlot* plot, const QString& path, QString* error)
{
    if (QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0)
        return saveSvg(plot, path, error);
    if (!plot->savePng(path, std::max(plot->width(), 100), std::max(plot->height(), 80))) {
        *error = PlotExport::tr("cannot write %1").arg(path);
        return false;
    }
    return true;
}

void addPlotExportMenu(QCustomPlot* plot, const QString& baseName)
{
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(plot, &QWidget::customContextMenuRequested, plot, [plot, baseName](const QPoint& at) {
        QMenu menu(plot);
        auto save = [plot, baseName](const QString& suffix, const QString& filter) {
            const QString path = QFileDialog::getSaveFileName(plot, PlotExport::tr("Save Plot"), baseName + suffix, filter);
            QString error;
            if (!path.isEmpty() && !savePlot(plot, path, &error))
                QMessageBox::warning(plot, PlotExport::tr("Save Plot"), error);
        };
        menu.addAction(PlotExport::tr("Save as &PNG..."), plot, [save] { save(QStringLiteral(".png"), PlotExport::tr("PNG images (*.png)")); });
        menu.addAction(PlotExport::tr("Save as &SVG..."), plot, [save] { save(QStringLiteral(".svg"), PlotExport::tr("SVG images (*.svg)")); });
        menu.exec(plot->mapToGlobal(at));
    });
}

} // namespace statescope
