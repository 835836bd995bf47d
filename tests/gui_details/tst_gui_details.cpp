// The details panel and the value jobs against real torch: a fine-tuned copy of a small model beside its base
// (tests/fixtures/gen_gui_details.py). Selecting a row shows what torch reports for both sides; statistics
// and the common-range histograms equal torch's; Compare Values marks exactly the changed keys and the
// change chart holds torch's relative L2 change per pair; cancel leaves nothing behind; plots export.

#include "change_chart.h"
#include "details_panel.h"
#include "histogram_plot.h"
#include "job_progress.h"
#include "main_window.h"
#include "plot_export.h"
#include "session/diff_filter_model.h"
#include "session/diff_tree_model.h"
#include "session/value_jobs.h"
#include "support/fixtures.h"

#include <qcustomplot.h>

#include <QAbstractItemModelTester>
#include <QImage>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QToolButton>
#include <QXmlStreamReader>
#include <QtTest>

#include <cmath>

using namespace statescope;
using namespace statescope::test;

namespace {

const QString kSource = QStringLiteral("details_finetuned.pt");
const QString kTarget = QStringLiteral("details_base.pt");

double number(const QJsonValue& v)
{
    if (v.isString()) {
        const QString s = v.toString();
        if (s == QLatin1String("nan"))
            return std::nan("");
        return s.startsWith(QLatin1Char('-')) ? -INFINITY : INFINITY;
    }
    return v.toDouble();
}

bool close(double actual, double expected, double relative = 1e-9)
{
    if (std::isnan(expected))
        return std::isnan(actual);
    if (std::isinf(expected))
        return actual == expected;
    return std::abs(actual - expected) <= relative * std::max(1.0, std::abs(expected));
}

QString listText(const QJsonValue& list)
{
    QVector<qint64> numbers;
    for (const QJsonValue& v : list.toArray())
        numbers << qint64(v.toDouble());
    return shapeText(numbers);
}

QJsonObject expectedKeys()
{
    return expected(kSource).value(QLatin1String("keys")).toObject();
}

// A window with both fixtures open and their diff shown.
void openPair(MainWindow& window)
{
    QSignalSpy diff(window.session(), &Session::diffReady);
    window.openFile(Side::Source, fixture(kSource));
    window.openFile(Side::Target, fixture(kTarget));
    QTRY_COMPARE_WITH_TIMEOUT(diff.count(), 1, 20000);
}

RowStatus statusOf(MainWindow& window, const QString& key)
{
    return static_cast<RowStatus>(window.diffModel()->indexOfKey(key).data(DiffTreeModel::StatusRole).toInt());
}

void compareValues(MainWindow& window)
{
    QSignalSpy finished(window.valueJobs(), &ValueJobs::compareFinished);
    QVERIFY(window.compareValuesAction()->isEnabled());
    window.compareValuesAction()->trigger();
    QVERIFY(window.jobProgress()->isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
}

bool isSvg(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    QXmlStreamReader xml(&file);
    QString root;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && root.isEmpty())
            root = xml.name().toString();
    }
    return !xml.hasError() && root == QLatin1String("svg");
}

} // namespace

class TestGuiDetails : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void selectionShowsBothSides_data();
    void selectionShowsBothSides();
    void moduleShowsTotals();
    void compareValuesMarksExactlyTheChangedKeys();
    void chartClickSelectsKey();
    void cancelLeavesNoValues();
    void newDiffForgetsValues();
    void plotsExport();
};

void TestGuiDetails::initTestCase()
{
    QVERIFY2(!expectedKeys().isEmpty(), "run make_fixtures.py first (ctest does)");
}

void TestGuiDetails::selectionShowsBothSides_data()
{
    QTest::addColumn<QString>("key");
    for (const char* key : {"encoder.weight", "head.weight", "offset.view", "norm.num_batches_tracked", "special.values",
                            "embed.weight", "norm.bias"})
        QTest::newRow(key) << QString::fromLatin1(key);
}

void TestGuiDetails::selectionShowsBothSides()
{
    QFETCH(QString, key);
    const QJsonObject want = expectedKeys().value(key).toObject();
    MainWindow window;
    window.show();
    openPair(window);
    window.selectKey(key);
    DetailsPanel* panel = window.details();
    QCOMPARE(panel->currentKey(), key);

    // What torch reports about where and how each side is stored.
    const char* sides[2] = {"source", "target"};
    for (int side = 0; side < 2; ++side) {
        const QJsonObject tensor = want.value(QLatin1String(sides[side])).toObject();
        QCOMPARE(panel->field(QStringLiteral("key"), side), key);
        QCOMPARE(panel->field(QStringLiteral("dtype"), side), tensor.value(QLatin1String("dtype")).toString());
        QCOMPARE(panel->field(QStringLiteral("shape"), side), listText(tensor.value(QLatin1String("shape"))));
        QCOMPARE(panel->field(QStringLiteral("stride"), side), listText(tensor.value(QLatin1String("stride"))));
        QCOMPARE(panel->field(QStringLiteral("offset"), side),
                 QString::number(qint64(tensor.value(QLatin1String("offset")).toDouble())));
        QCOMPARE(panel->field(QStringLiteral("location"), side), QStringLiteral("cpu"));
    }

    // Statistics and histograms arrive from the worker once the selection rests.
    QTRY_COMPARE_WITH_TIMEOUT(panel->statistics().key, key, 20000);
    const PairStatistics& got = panel->statistics();
    const QJsonObject histogram = want.value(QLatin1String("histogram")).toObject();
    QCOMPARE(got.bins, expected(kSource).value(QLatin1String("bins")).toInt());
    QVERIFY(close(got.histogramMin, number(histogram.value(QLatin1String("min"))), 1e-12));
    QVERIFY(close(got.histogramMax, number(histogram.value(QLatin1String("max"))), 1e-12));
    for (int side = 0; side < 2; ++side) {
        const SideStatistics& s = got.sides[side];
        QVERIFY2(s.ok, qPrintable(s.error));
        const QJsonObject stats = want.value(QLatin1String(sides[side]) + QLatin1String("_statistics")).toObject();
        QCOMPARE(s.statistics.numel, qint64(stats.value(QLatin1String("numel")).toDouble()));
        QCOMPARE(s.statistics.nan, qint64(stats.value(QLatin1String("nan")).toDouble()));
        QCOMPARE(s.statistics.inf, qint64(stats.value(QLatin1String("inf")).toDouble()));
        QCOMPARE(s.statistics.zeros, qint64(stats.value(QLatin1String("zeros")).toDouble()));
        QVERIFY(close(s.statistics.min, number(stats.value(QLatin1String("min")))));
        QVERIFY(close(s.statistics.max, number(stats.value(QLatin1String("max")))));
        QVERIFY2(close(s.statistics.mean, number(stats.value(QLatin1String("mean")))),
                 qPrintable(QString::number(s.statistics.mean, 'g', 17)));
        QVERIFY2(close(s.statistics.std, number(stats.value(QLatin1String("std")))),
                 qPrintable(QString::number(s.statistics.std, 'g', 17)));
        // torch.histc over the common range, and the plot draws exactly those counts.
        QVector<qint64> counts;
        for (const QJsonValue& c : histogram.value(QLatin1String(sides[side])).toArray())
            counts << qint64(c.toDouble());
        QCOMPARE(s.statistics.histogram, counts);
        QCOMPARE(panel->histogram()->counts(side), counts);
        QCOMPARE(panel->field(QStringLiteral("nan"), side), QString::number(s.statistics.nan));
    }
}

void TestGuiDetails::moduleShowsTotals()
{
    MainWindow window;
    openPair(window);
    window.selectKey(QStringLiteral("norm"));
    int tensors = 0;
    for (const QJsonValue& key : expected(kSource).value(QLatin1String("order")).toArray())
        tensors += key.toString().startsWith(QLatin1String("norm.")) ? 1 : 0;
    QCOMPARE(window.details()->currentKey(), QStringLiteral("norm"));
    QCOMPARE(window.details()->field(QStringLiteral("tensors"), 0), QString::number(tensors));
    QCOMPARE(window.details()->field(QStringLiteral("tensors"), 1), QString::number(tensors));
    QVERIFY(window.details()->field(QStringLiteral("dtype"), 0).isEmpty());
}

void TestGuiDetails::compareValuesMarksExactlyTheChangedKeys()
{
    MainWindow window;
    window.show();
    QAbstractItemModelTester tester(window.diffModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    openPair(window);
    const QJsonObject want = expectedKeys();
    const QJsonArray order = expected(kSource).value(QLatin1String("order")).toArray();
    QStringList changed;
    for (const QJsonValue& key : expected(kSource).value(QLatin1String("changed")).toArray())
        changed << key.toString();
    for (const QJsonValue& key : order)
        QCOMPARE(statusOf(window, key.toString()), RowStatus::Equal); // keys alone cannot tell

    window.selectKey(changed.front());
    compareValues(window);
    QVERIFY(!window.jobProgress()->isRunning());
    QVERIFY(!window.jobProgress()->isVisible());
    for (const QJsonValue& key : order) {
        const QString k = key.toString();
        const bool equal = want.value(k).toObject().value(QLatin1String("equal")).toBool();
        QCOMPARE(equal, !changed.contains(k));
        QCOMPARE(statusOf(window, k), changed.contains(k) ? RowStatus::ValueDiffers : RowStatus::Equal);
    }
    // Modules roll the new status up.
    QCOMPARE(statusOf(window, QStringLiteral("norm")), RowStatus::ValueDiffers);
    QCOMPARE(statusOf(window, QStringLiteral("embed")), RowStatus::Equal);

    // One bar per pair, in model order, each torch's ||a - b|| / ||b||.
    ChangeChart* chart = window.details()->changeChart();
    QCOMPARE(chart->barCount(), order.size());
    for (int i = 0; i < order.size(); ++i) {
        const QString key = order[i].toString();
        QCOMPARE(chart->keyAt(i), key);
        const double relL2 = number(want.value(key).toObject().value(QLatin1String("rel_l2")));
        QVERIFY2(close(chart->relL2At(i), relL2), qPrintable(key + QLatin1String(": ") + QString::number(chart->relL2At(i))));
    }
    // The selected changed key shows the pair's figures.
    const double relL2 = number(want.value(changed.front()).toObject().value(QLatin1String("rel_l2")));
    QVERIFY(close(window.details()->field(QStringLiteral("rel_l2"), 0).toDouble(), relL2, 1e-5));
    QCOMPARE(window.details()->field(QStringLiteral("equal"), 0), DetailsPanel::tr("no"));
}

void TestGuiDetails::chartClickSelectsKey()
{
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    openPair(window);
    compareValues(window);
    DetailsPanel* panel = window.details();
    panel->tabs()->setCurrentWidget(panel->changeChart());
    ChangeChart* chart = panel->changeChart();
    chart->plot()->replot();
    const int bar = 3;
    QCOMPARE(chart->barAt(chart->barCentre(bar)), bar);
    QTest::mouseClick(chart->plot(), Qt::LeftButton, {}, chart->barCentre(bar));
    const QString key = chart->keyAt(bar);
    QCOMPARE(window.filterModel()->mapToSource(window.selection()->currentIndex()).data(DiffTreeModel::KeyRole).toString(), key);
    QCOMPARE(panel->currentKey(), key);
    // Between bars nothing is hit.
    const QPoint between = (chart->barCentre(bar) + chart->barCentre(bar + 1)) / 2;
    QCOMPARE(chart->barAt(between), -1);
}

void TestGuiDetails::cancelLeavesNoValues()
{
    MainWindow window;
    window.show();
    openPair(window);
    QSignalSpy cancelled(window.valueJobs(), &ValueJobs::compareCancelled);
    QSignalSpy finished(window.valueJobs(), &ValueJobs::compareFinished);
    window.compareValuesAction()->trigger();
    JobProgress* progress = window.jobProgress();
    QVERIFY(progress->isRunning());
    QVERIFY(progress->isVisible());
    QVERIFY(progress->bar()->format().startsWith(QLatin1String("Comparing values")));
    // A key chosen now has its statistics queued behind the comparison: the panel says what it waits for.
    window.selectKey(QStringLiteral("encoder.bias"));
    QCOMPARE(window.details()->currentKey(), QStringLiteral("encoder.bias"));
    QVERIFY2(window.details()->field(QStringLiteral("pending"), -1).startsWith(QLatin1String("Waiting for the value comparison")),
             qPrintable(window.details()->field(QStringLiteral("pending"), -1)));
    QTest::mouseClick(progress->cancelButton(), Qt::LeftButton);
    QCOMPARE(cancelled.count(), 1);
    if (window.details()->statistics().key != QLatin1String("encoder.bias"))
        QCOMPARE(window.details()->field(QStringLiteral("pending"), -1), QStringLiteral("Computing..."));
    QVERIFY(!progress->isRunning());
    QVERIFY(!progress->isVisible());

    // The worker runs jobs in order: once a later job's answer is back, the cancelled comparison has ended
    // and its result (complete or not) has been dropped.
    QSignalSpy statistics(window.valueJobs(), &ValueJobs::statisticsReady);
    window.valueJobs()->requestStatistics(window.diffModel()->snapshot(), QStringLiteral("encoder.weight"), 8);
    QTRY_COMPARE_WITH_TIMEOUT(statistics.count(), 1, 20000);
    QCOMPARE(finished.count(), 0);
    QVERIFY(!window.valueJobs()->values());
    QVERIFY(!window.diffModel()->snapshot().values);
    QCOMPARE(window.details()->changeChart()->barCount(), 0);
    for (const QJsonValue& key : expected(kSource).value(QLatin1String("changed")).toArray())
        QCOMPARE(statusOf(window, key.toString()), RowStatus::Equal);
}

void TestGuiDetails::newDiffForgetsValues()
{
    MainWindow window;
    openPair(window);
    compareValues(window);
    QVERIFY(window.valueJobs()->values());
    QSignalSpy diff(window.session(), &Session::diffReady);
    window.openFile(Side::Target, fixture(kTarget));
    QTRY_COMPARE_WITH_TIMEOUT(diff.count(), 1, 20000);
    QVERIFY(!window.valueJobs()->values());
    QCOMPARE(window.details()->changeChart()->barCount(), 0);
    QCOMPARE(statusOf(window, QStringLiteral("encoder.weight")), RowStatus::Equal);
}

void TestGuiDetails::plotsExport()
{
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    openPair(window);
    window.selectKey(QStringLiteral("encoder.weight"));
    QTRY_COMPARE_WITH_TIMEOUT(window.details()->statistics().key, QStringLiteral("encoder.weight"), 20000);
    compareValues(window);
    window.details()->histogram()->setLogScale(true);
    QCOMPARE(window.details()->histogram()->plot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
    window.details()->changeChart()->setLogScale(true);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QCustomPlot* plots[2] = {window.details()->histogram()->plot(), window.details()->changeChart()->plot()};
    for (int i = 0; i < 2; ++i) {
        QString error;
        const QString png = dir.filePath(QStringLiteral("plot%1.png").arg(i));
        const QString svg = dir.filePath(QStringLiteral("plot%1.svg").arg(i));
        QVERIFY2(savePlot(plots[i], png, &error), qPrintable(error));
        QVERIFY2(savePlot(plots[i], svg, &error), qPrintable(error));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 0 && image.height() > 0);
        QVERIFY(isSvg(svg));
    }
    QString error;
    QVERIFY(!savePlot(plots[0], dir.filePath(QStringLiteral("missing/dir/plot.png")), &error));
    QVERIFY(!error.isEmpty());
}

QTEST_MAIN(TestGuiDetails)
#include "tst_gui_details.moc"
