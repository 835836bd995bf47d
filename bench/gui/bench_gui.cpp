// GUI benchmark of issue 5: opens a source/target pair in the real MainWindow and reports
//   open_to_paint_ms   open both files -> both trees painted with the aligned diff
//   filter_ms          a filter pattern typed (one setText) -> the source tree painted with the result
//   unfilter_ms        the filter cleared -> painted
//   expand_all_ms      View expandAll on the source tree (the target follows) -> painted
//   reload_to_paint_ms both files reloaded (F5) -> the new diff painted
//   stall_*_ms         the longest main-thread stall in each phase: a 5 ms precise timer records how late it
//                      fires (its lateness is how long the event loop could not run)
// as "name value" lines on stdout (and in --report FILE). Usage:
//   bench_gui SOURCE TARGET [--filter PATTERN] [--report FILE] [--expect-differences N]

#include "checkpoint_pane.h"
#include "main_window.h"
#include "session/diff_filter_model.h"
#include "session/diff_tree_model.h"

#include <QApplication>
#include <QCheckBox>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <QTreeView>

#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <vector>

using namespace statescope;

namespace {

// Measures how late a 5 ms timer fires: the worst lateness since reset() is the longest stall.
class StallProbe : public QObject
{
public:
    explicit StallProbe(QObject* parent) : QObject(parent)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(5);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_worst = std::max(m_worst, (now - m_last) / 1e6 - 5.0);
            m_last = now;
        });
        m_clock.start();
        m_last = m_clock.nsecsElapsed();
        m_timer.start();
    }
    void reset()
    {
        m_worst = 0;
        m_last = m_clock.nsecsElapsed();
    }
    // Includes the stall still running now (a phase that ends inside a long call).
    double worst() const { return std::max(m_worst, (m_clock.nsecsElapsed() - m_last) / 1e6 - 5.0); }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    double m_worst = 0;
};

// Remembers when a widget last painted.
class PaintWatch : public QObject
{
public:
    explicit PaintWatch(QElapsedTimer* clock) : m_clock(clock) {}
    std::function<bool()> condition = [] { return true; };
    qint64 paintedAt = -1;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Paint && paintedAt < 0 && condition())
            paintedAt = m_clock->nsecsElapsed();
        return QObject::eventFilter(watched, event);
    }

private:
    QElapsedTimer* m_clock;
};

double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// Times every event delivered from the event loop (nested deliveries count toward their outermost one) and
// remembers the slowest few with the receiver's class and the event type: the culprits behind a stall.
class TimingApplication : public QApplication
{
public:
    using QApplication::QApplication;
    struct Slow
    {
        double ms;
        double cpuMs; // the main thread's own CPU time: the part of `ms` not spent waiting for a core
        QString what;
    };
    std::vector<Slow> slowest;
    bool recording = false;

    // Stops recording; with BENCH_GUI_CULPRITS set, lists the slow events of the phase on stderr.
    void report(const QString& phase)
    {
        recording = false;
        if (qEnvironmentVariableIsSet("BENCH_GUI_CULPRITS")) {
            for (const Slow& slow : slowest)
                std::fprintf(stderr, "%s: slow event %7.1f ms (cpu %5.1f ms)  %s\n", qPrintable(phase), slow.ms,
                             slow.cpuMs, qPrintable(slow.what));
        }
        slowest.clear();
    }

    bool notify(QObject* receiver, QEvent* event) override
    {
        if (QThread::currentThread() != thread())
            return QApplication::notify(receiver, event); // the worker's events: m_depth is the main thread's
        if (!recording || m_depth > 0)
            return deliver(receiver, event);
        QElapsedTimer t;
        t.start();
        const double cpuStart = threadCpuMs();
        const QString what = QString::fromLatin1(receiver->metaObject()->className()) + QLatin1Char('/') +
                             receiver->objectName() + QLatin1String(" event ") + QString::number(int(event->type()));
        const bool result = deliver(receiver, event);
        const double ms = t.nsecsElapsed() / 1e6;
        if (ms > 5)
            slowest.push_back({ms, threadCpuMs() - cpuStart, what});
        return result;
    }

private:
    bool deliver(QObject* receiver, QEvent* event)
    {
        ++m_depth;
        const bool result = QApplication::notify(receiver, event);
        --m_depth;
        return result;
    }
    int m_depth = 0;
};

bool waitFor(const std::function<bool()>& done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 5);
    }
    return true;
}

} // namespace

int main(int argc, char* argv[])
{
    TimingApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("SOURCE"), QStringLiteral("source checkpoint"));
    parser.addPositionalArgument(QStringLiteral("TARGET"), QStringLiteral("target checkpoint"));
    const QCommandLineOption filterOption(QStringLiteral("filter"), QStringLiteral("pattern typed into the filter"),
                                          QStringLiteral("PATTERN"), QStringLiteral("blocks.7"));
    const QCommandLineOption reportOption(QStringLiteral("report"), QStringLiteral("also write the figures to FILE"),
                                          QStringLiteral("FILE"));
    const QCommandLineOption expectOption(QStringLiteral("expect-differences"),
                                          QStringLiteral("fail unless the window shows N differences"), QStringLiteral("N"));
    parser.addOption(filterOption);
    parser.addOption(reportOption);
    parser.addOption(expectOption);
    parser.addHelpOption();
    parser.process(app);
    if (parser.positionalArguments().size() != 2)
        parser.showHelp(2);

    // Fresh settings: no restored filter or layout skews the figures.
    QTemporaryDir settingsDir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());

    std::map<QString, double> figures;
    QElapsedTimer clock;
    clock.start();
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    waitFor([] { return false; }, 300); // let the window map and settle
    auto* probe = new StallProbe(&app);
    QTreeView* left = window.pane(Side::Source)->view();
    QTreeView* right = window.pane(Side::Target)->view();
    PaintWatch leftPaint(&clock), rightPaint(&clock);
    left->viewport()->installEventFilter(&leftPaint);
    right->viewport()->installEventFilter(&rightPaint);
    auto showsDiff = [&window](QTreeView* view) {
        return [&window, view] { return view->model() == window.filterModel() && window.filterModel()->rowCount() > 0; };
    };
    leftPaint.condition = showsDiff(left);
    rightPaint.condition = showsDiff(right);

    // Phase 1: open both files, wait for both trees to paint the diff, and keep probing until idle.
    probe->reset();
    app.recording = true;
    const qint64 t0 = clock.nsecsElapsed();
    window.openFile(Side::Source, parser.positionalArguments()[0]);
    window.openFile(Side::Target, parser.positionalArguments()[1]);
    if (!waitFor([&] { return leftPaint.paintedAt >= 0 && rightPaint.paintedAt >= 0; }, 300000)) {
        std::fprintf(stderr, "bench_gui: the diff never painted\n");
        return 1;
    }
    figures[QStringLiteral("open_to_paint_ms")] = (std::max(leftPaint.paintedAt, rightPaint.paintedAt) - t0) / 1e6;
    waitFor([&] { return !window.session()->isBusy(); }, 60000);
    waitFor([] { return false; }, 300);
    figures[QStringLiteral("stall_load_diff_ms")] = probe->worst();
    app.report(QStringLiteral("load and diff"));
    const int differences = window.diffModel()->differencePositions().size();
    figures[QStringLiteral("differences")] = differences;
    figures[QStringLiteral("rows")] = window.diffModel()->displayRowCount();

    // Phase 2: reload both files (what F5 or a watched file does) as the load left the window: the old
    // checkpoints and rows go, the new diff comes; the longest stall until the trees are painted again and the
    // session is idle.
    waitFor([] { return false; }, 200);
    int reloaded = 0;
    QObject::connect(window.session(), &Session::diffReady, &app, [&reloaded] { ++reloaded; });
    leftPaint.condition = [&reloaded] { return reloaded > 0; };
    leftPaint.paintedAt = -1;
    probe->reset();
    app.recording = true;
    const qint64 reloadStart = clock.nsecsElapsed();
    window.session()->reload(Side::Source);
    window.session()->reload(Side::Target);
    if (!waitFor([&] { return reloaded > 0 && leftPaint.paintedAt >= 0; }, 300000)) {
        std::fprintf(stderr, "bench_gui: the reloaded diff never painted\n");
        return 1;
    }
    figures[QStringLiteral("reload_to_paint_ms")] = (leftPaint.paintedAt - reloadStart) / 1e6;
    waitFor([&] { return !window.session()->isBusy(); }, 60000);
    waitFor([] { return false; }, 300);
    figures[QStringLiteral("stall_reload_ms")] = probe->worst();
    app.report(QStringLiteral("reload"));

    // One timed user action: run it, wait for the source tree's next paint, record latency and stall.
    auto timed = [&](const QString& name, const std::function<void()>& action) {
        waitFor([] { return false; }, 200);
        leftPaint.condition = [] { return true; };
        leftPaint.paintedAt = -1;
        probe->reset();
        app.recording = true;
        const qint64 start = clock.nsecsElapsed();
        action();
        left->viewport()->update();
        waitFor([&] { return leftPaint.paintedAt >= 0; }, 120000);
        figures[name + QLatin1String("_ms")] = (leftPaint.paintedAt - start) / 1e6;
        waitFor([] { return false; }, 200);
        figures[QLatin1String("stall_") + name + QLatin1String("_ms")] = probe->worst();
        app.report(name);
    };
    const QString pattern = parser.value(filterOption);
    timed(QStringLiteral("filter"), [&] { window.filterEdit()->setText(pattern); });
    timed(QStringLiteral("unfilter"), [&] { window.filterEdit()->clear(); });
    timed(QStringLiteral("only_differences"), [&] { window.onlyDifferences()->setChecked(true); });
    timed(QStringLiteral("all_rows"), [&] { window.onlyDifferences()->setChecked(false); });
    timed(QStringLiteral("expand_all"), [&] { left->expandAll(); });


    QString text;
    for (const auto& [name, value] : figures)
        text += name + QLatin1Char(' ') + QString::number(value, 'f', 1) + QLatin1Char('\n');
    std::fputs(text.toUtf8().constData(), stdout);
    if (parser.isSet(reportOption)) {
        QFile out(parser.value(reportOption));
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) || out.write(text.toUtf8()) < 0) {
            std::fprintf(stderr, "bench_gui: cannot write %s\n", qPrintable(parser.value(reportOption)));
            return 2;
        }
    }
    if (parser.isSet(expectOption) && differences != parser.value(expectOption).toInt()) {
        std::fprintf(stderr, "bench_gui: the window shows %d differences, expected %s\n", differences,
                     qPrintable(parser.value(expectOption)));
        return 1;
    }
    return 0;
}
