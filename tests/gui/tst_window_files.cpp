// Files in the window beyond File > Open: recent files, drops on the window and on a pane, swapping sides,
// watching open files for rewrites (info bar, Reload, auto-reload) and settings that outlive a window.
// Settings go to a temporary folder (QSettings::setPath), never the user's.

#include "checkpoint_pane.h"
#include "file_controller.h"
#include "info_bar.h"
#include "main_window.h"
#include "recent_files.h"
#include "session/diff_filter_model.h"
#include "session/diff_tree_model.h"
#include "session/file_watcher.h"
#include "settings.h"
#include "support/fixtures.h"

#include <QAction>
#include <QCheckBox>
#include <QDropEvent>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QSplitter>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace statescope;
using namespace statescope::test;

namespace {

QJsonObject diffCase(const QString& name)
{
    QFile file(fixture(QStringLiteral("diff_pairs.expected.json")));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    for (const auto& c : QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("cases")).toArray()) {
        if (c.toObject().value(QLatin1String("name")).toString() == name)
            return c.toObject();
    }
    return {};
}

QStringList strings(const QJsonValue& array)
{
    QStringList out;
    for (const auto& v : array.toArray())
        out << v.toString();
    return out;
}

// What a training loop does: write beside the file, then rename over it (the watch on the old inode dies).
bool replaceByRename(const QString& from, const QString& to)
{
    const QString temp = to + QLatin1String(".tmp");
    QFile::remove(temp);
    if (!QFile::copy(from, temp))
        return false;
    return ::rename(QFile::encodeName(temp).constData(), QFile::encodeName(to).constData()) == 0;
}

void dropFiles(QWidget* on, const QStringList& paths)
{
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString& p : paths)
        urls << QUrl::fromLocalFile(p);
    mime.setUrls(urls);
    QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(on, &enter);
    QDropEvent drop(QPointF(5, 5), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(on, &drop);
}

QStringList differenceKeys(const DiffTreeModel* model)
{
    QStringList keys;
    for (const auto& [row, status] : model->differencePositions())
        keys << model->indexAtDisplayRow(row).data(DiffTreeModel::KeyRole).toString();
    return keys;
}

} // namespace

class TestWindowFiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void recentFilesAfterOpening();
    void dropTwoFilesOnTheWindow();
    void dropOneFileOnAPane();
    void swapSidesSwapsAndRediffs();
    void rewrittenFileOffersReload();
    void autoReloadSkipsTheBar();
    void settingsRoundTrip();

private:
    QTemporaryDir m_settings;
    QTemporaryDir m_files;
};

void TestWindowFiles::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settings.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
    QVERIFY(!diffCase(QStringLiteral("changed_head")).isEmpty());
}

void TestWindowFiles::init()
{
    appSettings().clear();
}

void TestWindowFiles::recentFilesAfterOpening()
{
    const QString source = m_files.filePath(QStringLiteral("recent_source.pt"));
    const QString target = m_files.filePath(QStringLiteral("recent_target.pt"));
    QVERIFY(QFile::copy(fixture(QStringLiteral("diff_renamed_head_source.pt")), source));
    QVERIFY(QFile::copy(fixture(QStringLiteral("diff_renamed_head_target.pt")), target));
    {
        MainWindow window;
        QSignalSpy opened(window.session(), &Session::checkpointOpened);
        window.openFile(Side::Source, source);
        window.openFile(Side::Target, target);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, 20000);
        RecentFiles* recent = window.files()->recentFiles();
        const QStringList files = recent->files();
        QCOMPARE(QSet<QString>(files.cbegin(), files.cend()), (QSet<QString>{source, target}));
        QCOMPARE(recent->pairs().size(), 1);
        QCOMPARE(recent->pairs().front(), RecentFiles::Pair(source, target));
        QMenu menu;
        recent->populate(&menu);
        QCOMPARE(menu.actions().front()->text(), QStringLiteral("recent_source.pt vs recent_target.pt"));
    }
    // Another window (another run) offers the pair; choosing it opens both sides.
    MainWindow window;
    QSignalSpy ready(window.session(), &Session::diffReady);
    QMenu menu;
    window.files()->recentFiles()->populate(&menu);
    menu.actions().front()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 20000);
    QCOMPARE(window.session()->path(Side::Source), source);
    QCOMPARE(window.session()->path(Side::Target), target);

    // Files that are gone drop out of the list, and the pairs they were in with them.
    QVERIFY(QFile::remove(target));
    QCOMPARE(window.files()->recentFiles()->files(), QStringList{source});
    QVERIFY(window.files()->recentFiles()->pairs().isEmpty());
}

void TestWindowFiles::dropTwoFilesOnTheWindow()
{
    const QJsonObject c = diffCase(QStringLiteral("renamed_head"));
    MainWindow window;
    window.show();
    QSignalSpy ready(window.session(), &Session::diffReady);
    const QString source = fixture(c.value(QLatin1String("source")).toString());
    const QString target = fixture(c.value(QLatin1String("target")).toString());
    dropFiles(&window, {source, target});
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 20000);
    QCOMPARE(window.session()->path(Side::Source), source);
    QCOMPARE(window.session()->path(Side::Target), target);
    QCOMPARE(window.session()->diff().verdict->missing, strings(c.value(QLatin1String("missing"))));
}

void TestWindowFiles::dropOneFileOnAPane()
{
    MainWindow window;
    window.show();
    QSignalSpy opened(window.session(), &Session::checkpointOpened);
    const QString file = fixture(QStringLiteral("diff_mixed_target.pt"));
    dropFiles(window.pane(Side::Target), {file});
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
    QCOMPARE(opened.front().at(0).value<Side>(), Side::Target);
    QVERIFY(window.session()->path(Side::Source).isEmpty());
    QCOMPARE(window.session()->path(Side::Target), file);
}

// Swapping asks the opposite question: what torch called unexpected is now missing and the other way round.
void TestWindowFiles::swapSidesSwapsAndRediffs()
{
    const QJsonObject c = diffCase(QStringLiteral("renamed_head"));
    const QString source = fixture(c.value(QLatin1String("source")).toString());
    const QString target = fixture(c.value(QLatin1String("target")).toString());
    MainWindow window;
    window.show();
    QSignalSpy ready(window.session(), &Session::diffReady);
    window.openFile(Side::Source, source);
    window.openFile(Side::Target, target);
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 20000);
    QCOMPARE(window.session()->diff().verdict->unexpected, strings(c.value(QLatin1String("unexpected"))));

    window.files()->swapAction()->trigger();
    QCOMPARE(window.session()->path(Side::Source), target);
    QCOMPARE(window.session()->path(Side::Target), source);
    QVERIFY(window.windowTitle().contains(QFileInfo(target).fileName() + QLatin1String(" vs ") + QFileInfo(source).fileName()));
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 2, 20000);
    const DiffResult& swapped = *window.session()->diff().verdict;
    QCOMPARE(swapped.missing, strings(c.value(QLatin1String("unexpected"))));
    QCOMPARE(swapped.unexpected, strings(c.value(QLatin1String("missing"))));
}

// A training run rewrites the source (temp file + rename): the bar offers a reload; Reload shows the new
// verdict and keeps what the user had expanded and selected.
void TestWindowFiles::rewrittenFileOffersReload()
{
    const QJsonObject changed = diffCase(QStringLiteral("changed_head"));
    const QString source = m_files.filePath(QStringLiteral("watched_source.pt"));
    QFile::remove(source);
    QVERIFY(QFile::copy(fixture(changed.value(QLatin1String("source")).toString()), source));
    const QString target = fixture(changed.value(QLatin1String("target")).toString());

    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.files()->watcher()->setSettleTime(100);
    QSignalSpy ready(window.session(), &Session::diffReady);
    window.openFile(Side::Source, source);
    window.openFile(Side::Target, target);
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 20000);
    QStringList mismatched;
    for (const auto& m : changed.value(QLatin1String("shape_mismatch")).toArray())
        mismatched << m.toObject().value(QLatin1String("key")).toString();
    QCOMPARE(differenceKeys(window.diffModel()), mismatched);

    // The user's view: everything collapsed but the "layers" module, and a key selected.
    QTreeView* view = window.pane(Side::Source)->view();
    view->collapseAll();
    const QModelIndex layers = window.filterModel()->mapFromSource(window.diffModel()->indexOfKey(QStringLiteral("layers")));
    QVERIFY(layers.isValid());
    view->expand(layers);
    window.selectKey(QStringLiteral("bn.weight"));
    const QModelIndex fc = window.filterModel()->mapFromSource(window.diffModel()->indexOfKey(QStringLiteral("fc")));
    QVERIFY(fc.isValid());
    view->collapse(fc);
    QVERIFY(!view->isExpanded(fc));

    QVERIFY(!window.files()->infoBar()->isVisible());
    QVERIFY(replaceByRename(target, source)); // now the source is the target's twin
    QTRY_VERIFY_WITH_TIMEOUT(window.files()->infoBar()->isVisible(), 10000);
    QCOMPARE(window.files()->infoBar()->text(), QStringLiteral("watched_source.pt changed on disk."));
    QCOMPARE(ready.count(), 1); // nothing reloaded behind the user's back

    QTest::mouseClick(window.files()->infoBar()->reloadButton(), Qt::LeftButton);
    QVERIFY(!window.files()->infoBar()->isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 2, 20000);
    QVERIFY(window.session()->diff().verdict->loadable);
    QVERIFY(differenceKeys(window.diffModel()).isEmpty());
    QCOMPARE(window.selection()->currentIndex().data(DiffTreeModel::KeyRole).toString(), QStringLiteral("bn.weight"));
    const QModelIndex layersAgain = window.filterModel()->mapFromSource(window.diffModel()->indexOfKey(QStringLiteral("layers")));
    QVERIFY(view->isExpanded(layersAgain));
    QVERIFY(window.pane(Side::Target)->view()->isExpanded(layersAgain));
    QVERIFY(!view->isExpanded(window.filterModel()->mapFromSource(window.diffModel()->indexOfKey(QStringLiteral("fc")))));
}

// With auto-reload on, a rewrite made by real torch (torch.save to a temporary name, then os.replace) is
// read again at once, without the bar, and the diff shows the shapes torch wrote.
void TestWindowFiles::autoReloadSkipsTheBar()
{
    const QJsonObject changed = diffCase(QStringLiteral("changed_head"));
    const QString source = m_files.filePath(QStringLiteral("auto_source.pt"));
    QFile::remove(source);
    QVERIFY(QFile::copy(fixture(changed.value(QLatin1String("source")).toString()), source));
    const QString target = fixture(changed.value(QLatin1String("target")).toString());

    MainWindow window;
    window.show();
    window.files()->watcher()->setSettleTime(100);
    window.files()->setAutoReload(true);
    QSignalSpy ready(window.session(), &Session::diffReady);
    QSignalSpy changes(window.files()->watcher(), &FileWatcher::changed);
    window.openFile(Side::Source, source);
    window.openFile(Side::Target, target);
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 20000);

    const ProcessResult written = runPython(QStringLiteral(R"(
import json, os, sys, torch
path = sys.argv[1]
sd = torch.load(path)
sd["fc.weight"] = torch.zeros(7, 4)
sd["fc.bias"] = torch.zeros(7)
torch.save(sd, path + ".partial")
os.replace(path + ".partial", path)
print(json.dumps({k: list(v.shape) for k, v in sd.items() if k.startswith("fc.")}))
)"),
                                           {source});
    QVERIFY2(written.exitCode == 0, written.err.constData());
    const QJsonObject shapes = QJsonDocument::fromJson(written.out).object();
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 2, 20000);
    QCOMPARE(changes.count(), 1);
    QVERIFY(!window.files()->infoBar()->isVisible());
    const DiffResult& verdict = *window.session()->diff().verdict;
    QCOMPARE(verdict.sizeMismatch.size(), 2);
    for (const ShapeMismatch& m : verdict.sizeMismatch) {
        QVector<qint64> expected;
        for (const auto& d : shapes.value(m.key).toArray())
            expected << d.toInteger();
        QCOMPARE(m.sourceShape, expected);
    }
}

void TestWindowFiles::settingsRoundTrip()
{
    {
        MainWindow window;
        window.resize(2800, 900); // room for one pane at well under half the other's width (panes have a minimum)
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.filterEdit()->setText(QStringLiteral("re:^layers\\."));
        window.onlyDifferences()->setChecked(true);
        window.files()->setAutoReload(true);
        auto* splitter = qobject_cast<QSplitter*>(window.pane(Side::Source)->parentWidget());
        QVERIFY(splitter);
        splitter->setSizes({500, 2000});
        QVERIFY(splitter->sizes()[0] * 2 < splitter->sizes()[1]);
        window.close();
    }
    MainWindow window;
    QCOMPARE(window.filterEdit()->text(), QStringLiteral("re:^layers\\."));
    QVERIFY(window.onlyDifferences()->isChecked());
    QVERIFY(window.filterModel()->onlyDifferences());
    QVERIFY(window.files()->autoReload());
    QVERIFY(window.files()->autoReloadAction()->isChecked());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QList<int> sizes = qobject_cast<QSplitter*>(window.pane(Side::Source)->parentWidget())->sizes();
    QCOMPARE(sizes.size(), 2);
    QVERIFY2(sizes[0] * 2 < sizes[1], qPrintable(QStringLiteral("%1 %2").arg(sizes[0]).arg(sizes[1])));
}

QTEST_MAIN(TestWindowFiles)
#include "tst_window_files.moc"
