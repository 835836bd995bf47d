// The window as a user meets it: files open through the worker thread (never the GUI thread), the demo pair
// shows, a hostile file raises the warning banner, a broken file shows its one-line error.

#include "checkpoint_pane.h"
#include "load_report_view.h"
#include "main_window.h"
#include "overview_strip.h"
#include "session/checkpoint_tree_model.h"
#include "session/diff_filter_model.h"
#include "session/diff_tree_model.h"
#include "support/fixtures.h"

#include <QCheckBox>
#include <QClipboard>
#include <QMimeData>
#include <QTextBlock>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QTreeView>
#include <QJsonArray>
#include <QtTest>

using namespace statescope;
using namespace statescope::test;

namespace {

// One case of gen_diff_pairs.py's record of what torch said ({} when there is none by that name).
QJsonObject diffPairCase(const QString& name)
{
    QFile cases(fixture(QStringLiteral("diff_pairs.expected.json")));
    if (!cases.open(QIODevice::ReadOnly))
        return {};
    for (const auto& c : QJsonDocument::fromJson(cases.readAll()).object().value(QLatin1String("cases")).toArray()) {
        if (c.toObject().value(QLatin1String("name")).toString() == name)
            return c.toObject();
    }
    return {};
}

// torch's own error text for a case, with the model name the window's diff uses ("Model" for a checkpoint
// target) in place of the class the generator loaded into.
QString torchErrorForModel(const QJsonObject& c)
{
    return c.value(QLatin1String("torch_error")).toString().replace(
        c.value(QLatin1String("model_name")).toString() + QLatin1Char(':'), QStringLiteral("Model:"));
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void opensBothSidesOnTheWorker();
    void demoOpens();
    void hostileFileShowsBanner();
    void brokenFileShowsError();
    void diffShowsVerdictAndNavigates();
    void loadReportShowsKeysByLineAndCopiesTorchText();

private:
    QTemporaryDir m_settings;
};

// The window restores filters and layout from QSettings: never read (or write) the user's own.
void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settings.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
}

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

// torch's Missing/Unexpected lines name every key on one line; the report shows one key per line (cheap to
// lay out and paint) and every copy still gives torch's exact words.
void TestMainWindow::loadReportShowsKeysByLineAndCopiesTorchText()
{
    const QJsonObject mixed = diffPairCase(QStringLiteral("mixed"));
    QVERIFY(!mixed.isEmpty());
    const int missing = mixed.value(QLatin1String("missing")).toArray().size();
    QVERIFY(missing > 2);

    MainWindow window;
    window.show();
    QSignalSpy ready(window.session(), &Session::diffReady);
    window.openFile(Side::Source, fixture(mixed.value(QLatin1String("source")).toString()));
    window.openFile(Side::Target, fixture(mixed.value(QLatin1String("target")).toString()));
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 20000);
    const QString torchError = torchErrorForModel(mixed);
    LoadReportView* report = window.loadReport();
    QVERIFY2(report->text().contains(torchError), qPrintable(report->text()));

    // Shown: the Missing line holds only its first key; each further key is a line of its own.
    QString missingLine;
    int keyLines = 0;
    for (QTextBlock b = report->document()->begin(); b.isValid(); b = b.next()) {
        if (b.text().contains(QLatin1String("Missing key(s) in state_dict: ")))
            missingLine = b.text();
        if (b.text().startsWith(QLatin1String("\t ")) && b.text().trimmed().startsWith(QLatin1Char('"')))
            ++keyLines;
    }
    QCOMPARE(missingLine.count(QLatin1Char('"')), 2);
    QVERIFY(keyLines >= missing - 1);

    // Select all + copy: the report exactly, torch's text inside it unchanged.
    report->selectAll();
    report->copy();
    QCOMPARE(QGuiApplication::clipboard()->text(), report->text());
    // A part (from "Missing" to the end of the shown document): the same part of the exact text.
    QTextCursor cursor(report->document());
    cursor.setPosition(report->document()->find(QStringLiteral("Missing key(s)")).selectionStart());
    cursor.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
    report->setTextCursor(cursor);
    report->copy();
    const QString copied = QGuiApplication::clipboard()->text();
    QVERIFY(copied.startsWith(QLatin1String("Missing key(s)")));
    QVERIFY2(report->text().endsWith(copied), qPrintable(copied));
    QVERIFY(torchError.contains(copied.section(QLatin1Char('\n'), 0, 0)));
}

// Both sides open: the worker computes torch's verdict, the load report shows torch's exact text, and
// Alt+Down / Alt+Up move one shared selection through the differences on both sides.
void TestMainWindow::diffShowsVerdictAndNavigates()
{
    const QJsonObject changedHead = diffPairCase(QStringLiteral("changed_head"));
    QVERIFY(!changedHead.isEmpty());

    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // Window shortcuts need the active window; under a real X server (xvfb) it is not active by itself.
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QSignalSpy ready(window.session(), &Session::diffReady);
    window.openFile(Side::Source, fixture(changedHead.value(QLatin1String("source")).toString()));
    window.openFile(Side::Target, fixture(changedHead.value(QLatin1String("target")).toString()));
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 20000);

    const QString torchError = torchErrorForModel(changedHead);
    QVERIFY2(window.loadReport()->text().contains(torchError), qPrintable(window.loadReport()->text()));

    // Both panes show the same model and share one selection.
    QCOMPARE(window.pane(Side::Source)->view()->model(), window.filterModel());
    QCOMPARE(window.filterModel()->sourceModel(), window.diffModel());
    QCOMPARE(window.pane(Side::Target)->view()->selectionModel(), window.selection());
    QCOMPARE(window.pane(Side::Source)->view()->selectionModel(), window.selection());

    QStringList mismatched;
    for (const auto& m : changedHead.value(QLatin1String("shape_mismatch")).toArray())
        mismatched << m.toObject().value(QLatin1String("key")).toString();
    QVERIFY(!mismatched.isEmpty());
    QTest::keyClick(&window, Qt::Key_Down, Qt::AltModifier);
    QCOMPARE(window.selection()->currentIndex().data(DiffTreeModel::KeyRole).toString(), mismatched.front());
    QTest::keyClick(&window, Qt::Key_F8);
    QTest::keyClick(&window, Qt::Key_Up, Qt::AltModifier);
    QCOMPARE(window.selection()->currentIndex().data(DiffTreeModel::KeyRole).toString(), mismatched.front());
    QTest::keyClick(&window, Qt::Key_End, Qt::AltModifier);
    QCOMPARE(window.selection()->currentIndex().data(DiffTreeModel::KeyRole).toString(), mismatched.back());

    // Expanding a module on one side expands it on the other.
    QAbstractItemModel* shown = window.filterModel();
    QTreeView* left = window.pane(Side::Source)->view();
    QTreeView* right = window.pane(Side::Target)->view();
    bool checkedSync = false;
    for (int r = 0; r < shown->rowCount() && !checkedSync; ++r) {
        const QModelIndex i = shown->index(r, 0);
        if (shown->rowCount(i) == 0)
            continue;
        left->collapse(i);
        QVERIFY(!right->isExpanded(i));
        left->expand(i);
        QVERIFY(right->isExpanded(i));
        right->collapse(i);
        QVERIFY(!left->isExpanded(i));
        checkedSync = true;
    }
    QVERIFY(checkedSync);

    // Ctrl+F filters both sides; "only differences" leaves just the rows torch complains about.
    QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
    QVERIFY(window.filterEdit()->hasFocus());
    QTest::keyClicks(window.filterEdit(), QStringLiteral("bias"));
    QVERIFY(shown->rowCount() > 0);
    QStringList keys;
    std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
        for (int r = 0; r < shown->rowCount(parent); ++r) {
            const QModelIndex i = shown->index(r, 0, parent);
            if (!i.data(DiffTreeModel::IsModuleRole).toBool())
                keys << i.data(DiffTreeModel::KeyRole).toString();
            walk(i);
        }
    };
    walk({});
    QVERIFY(!keys.isEmpty());
    for (const QString& key : keys)
        QVERIFY2(key.contains(QLatin1String("bias")), qPrintable(key));
    window.filterEdit()->clear();
    window.onlyDifferences()->setChecked(true);
    keys.clear();
    walk({});
    QCOMPARE(keys, mismatched);
    QTest::keyClick(&window, Qt::Key_Home, Qt::AltModifier);
    QCOMPARE(window.selection()->currentIndex().data(DiffTreeModel::KeyRole).toString(), mismatched.front());

    // The overview strip marks every difference; clicking the last mark jumps there.
    OverviewStrip* strip = window.overview();
    QCOMPARE(strip->markCount(), mismatched.size());
    QTest::mouseClick(strip, Qt::LeftButton, {}, QPoint(strip->width() / 2, strip->markY(strip->markCount() - 1)));
    QCOMPARE(window.selection()->currentIndex().data(DiffTreeModel::KeyRole).toString(), mismatched.back());
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
