// The window as a user meets it: files open through the worker thread (never the GUI thread), the demo pair
// shows, a hostile file raises the warning banner, a broken file shows its one-line error.

#include "checkpoint_pane.h"
#include "main_window.h"
#include "session/checkpoint_tree_model.h"
#include "support/fixtures.h"

#include <QLabel>
#include <QSignalSpy>
#include <QThread>
#include <QTreeView>
#include <QtTest>

using namespace statescope;
using namespace statescope::test;

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void opensBothSidesOnTheWorker();
    void demoOpens();
    void hostileFileShowsBanner();
    void brokenFileShowsError();
};

void TestMainWindow::opensBothSidesOnTheWorker()
{
    MainWindow window;
    window.show();
    QSignalSpy opened(window.session(), &Session::checkpointOpened);
    window.openFile(Side::Source, fixture(QStringLiteral("dataparallel.pt")));
    window.openFile(Side::Target, fixture(QStringLiteral("resnet18.pt")));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, 20000);
    QVERIFY(window.windowTitle().contains(QLatin1String("dataparallel.pt vs resnet18.pt")));
    QCOMPARE(window.pane(Side::Source)->model()->index(0, 0).data().toString(), QStringLiteral("module"));
    QCOMPARE(window.pane(Side::Target)->model()->rowCount(), 7);
    // Files are read on the session's own thread, never the GUI thread.
    QVERIFY(window.session()->workerThread()->isRunning());
    QVERIFY(window.session()->workerThread() != QThread::currentThread());
}

void TestMainWindow::demoOpens()
{
    MainWindow window;
    QSignalSpy opened(window.session(), &Session::checkpointOpened);
    window.openDemo();
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, 20000);
    QVERIFY(window.pane(Side::Source)->model()->rowCount() > 0);
    QVERIFY(window.pane(Side::Target)->model()->rowCount() > 0);
}

void TestMainWindow::hostileFileShowsBanner()
{
    MainWindow window;
    window.show();
    QSignalSpy opened(window.session(), &Session::checkpointOpened);
    window.openFile(Side::Source, fixture(QStringLiteral("hostile.pt")));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
    bool bannerShown = false;
    for (const QLabel* label : window.pane(Side::Source)->findChildren<QLabel*>()) {
        if (label->isVisible() && label->text().contains(QLatin1String("posix.system")))
            bannerShown = true;
    }
    QVERIFY(bannerShown);
}

void TestMainWindow::brokenFileShowsError()
{
    MainWindow window;
    window.show();
    QSignalSpy failed(window.session(), &Session::openFailed);
    window.openFile(Side::Target, fixture(QStringLiteral("bad/short_record.pt")));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
    QVERIFY(failed.front().at(1).toString().contains(QLatin1String("data/0 is 4096 bytes")));
    bool shown = false;
    for (const QLabel* label : window.pane(Side::Target)->findChildren<QLabel*>())
        shown = shown || label->text().contains(QLatin1String("data/0 is 4096 bytes"));
    QVERIFY(shown);
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
