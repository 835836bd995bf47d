#include "file_controller.h"

#include "checkpoint_pane.h"
#include "info_bar.h"
#include "main_window.h"
#include "recent_files.h"
#include "session/diff_filter_model.h"
#include "session/diff_tree_model.h"
#include "session/file_watcher.h"
#include "settings.h"
#include "translations.h"

#include <QAction>
#include <QCheckBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QSplitter>
#include <QStatusBar>
#include <QTreeView>
#include <QVBoxLayout>

#include <memory>

namespace statescope {

namespace {
const QString kGeometry = QStringLiteral("window/geometry");
const QString kState = QStringLiteral("window/state");
const QString kSplitter = QStringLiteral("window/splitter");
const QString kFilterText = QStringLiteral("filter/text");
const QString kOnlyDifferences = QStringLiteral("filter/onlyDifferences");
const QString kAutoReload = QStringLiteral("files/autoReload");

QStringList localFiles(const QMimeData* mime)
{
    QStringList files;
    if (!mime || !mime->hasUrls())
        return files;
    for (const QUrl& url : mime->urls()) {
        if (url.isLocalFile())
            files << url.toLocalFile();
    }
    return files;
}
} // namespace

FileController::FileController(MainWindow* window, QMenu* fileMenu) : QObject(window), m_window(window)
{
    m_session = window->session();
    m_watcher = new FileWatcher(this);
    m_recent = new RecentFiles(this);
    createActions(fileMenu);
    placeInfoBar();

    window->setAcceptDrops(true);
    window->installEventFilter(this);

    connect(m_session, &Session::checkpointOpened, this, &FileController::onCheckpointOpened);
    connect(m_session, &Session::openFailed, this, [this] { m_restoreView = false; });
    connect(m_session, &Session::diffFailed, this, [this] { m_restoreView = false; });
    // Connected after the window's own diffReady handler, so this runs once the new diff is showing.
    connect(m_session, &Session::diffReady, this, [this] {
        if (m_restoreView && !m_session->isBusy())
            restoreView();
    });
    connect(m_session, &Session::sidesSwapped, this, [this] {
        for (Side side : {Side::Source, Side::Target}) {
            if (m_session->opened(side).checkpoint)
                m_window->pane(side)->showCheckpoint(m_session->opened(side));
            else
                m_window->pane(side)->showMessage(tr("Drop a checkpoint here or use File > Open."));
        }
    });
    // After a reload or swap the panes show the session's choice, not their first state dict.
    connect(m_session, &Session::stateDictSelected, this,
            [this](Side side, int index) { m_window->pane(side)->chooseStateDict(index); });
    // Said again once the diff is shown: the window's verdict line would otherwise replace it at once.
    auto lostNotice = std::make_shared<QString>();
    connect(m_session, &Session::stateDictLost, this, [this, lostNotice](Side side, const QString& path, const QString& fallback) {
        const auto shown = [this](const QString& p) { return p.isEmpty() ? tr("<root>") : p; };
        *lostNotice = tr("%1 no longer holds the state dict %2: comparing %3 instead")
                          .arg(QFileInfo(m_session->path(side)).fileName(), shown(path), shown(fallback));
        m_window->statusBar()->showMessage(*lostNotice);
    });
    connect(m_session, &Session::diffReady, this, [this, lostNotice] {
        if (!lostNotice->isEmpty())
            m_window->statusBar()->showMessage(std::exchange(*lostNotice, QString()));
    });
    connect(m_watcher, &FileWatcher::changed, this, &FileController::onFileChanged);
    connect(m_recent, &RecentFiles::pairChosen, this,
            [this](const QString& source, const QString& target) { openFiles({source, target}); });
    connect(m_recent, &RecentFiles::fileChosen, this, [this](const QString& path) { openFiles({path}); });
    connect(m_infoBar, &InfoBar::reloadRequested, this, [this] { reloadSides(std::exchange(m_changed, {})); });
    connect(m_infoBar, &InfoBar::alwaysReloadRequested, this, [this] { setAutoReload(true); });
    connect(m_infoBar, &InfoBar::dismissed, this, [this] { m_changed.clear(); });
    restoreSettings();
}

void FileController::createActions(QMenu* fileMenu)
{
    // Everything goes in before the separator that precedes Quit, so Quit stays last.
    QAction* before = nullptr;
    const QList<QAction*> actions = fileMenu->actions();
    for (int i = 0; i < actions.size(); ++i) {
        if (actions[i]->shortcut() == QKeySequence(QKeySequence::Quit))
            before = (i > 0 && actions[i - 1]->isSeparator()) ? actions[i - 1] : actions[i];
    }
    auto* recentMenu = new QMenu(tr("Open &Recent"), fileMenu);
    connect(recentMenu, &QMenu::aboutToShow, this, [this, recentMenu] { m_recent->populate(recentMenu); });
    fileMenu->insertMenu(before, recentMenu);
    fileMenu->insertSeparator(before);

    m_reloadAction = new QAction(tr("Re&load"), this);
    m_reloadAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_reloadAction->setToolTip(tr("Read the open files again from disk"));
    connect(m_reloadAction, &QAction::triggered, this, &FileController::reload);
    fileMenu->insertAction(before, m_reloadAction);

    m_swapAction = new QAction(tr("S&wap Sides"), this);
    m_swapAction->setToolTip(tr("Make the source the target and the target the source"));
    connect(m_swapAction, &QAction::triggered, this, &FileController::swapSides);
    fileMenu->insertAction(before, m_swapAction);
    // Both work from the keyboard anywhere in the window, menu bar or not.
    m_window->addAction(m_reloadAction);
    m_window->addAction(m_swapAction);

    QMenu* settings = m_window->menuBar()->addMenu(tr("&Settings"));
    m_autoReloadAction = settings->addAction(tr("Reload Changed Files &Automatically"));
    m_autoReloadAction->setCheckable(true);
    connect(m_autoReloadAction, &QAction::toggled, this, [this](bool on) {
        appSettings().setValue(kAutoReload, on);
        if (on && !m_changed.isEmpty()) {
            m_infoBar->hide();
            reloadSides(std::exchange(m_changed, {}));
        }
    });
    addLanguageMenu(settings);
}

// The info bar sits above everything in the central area (both trees and the overview strip).
void FileController::placeInfoBar()
{
    QWidget* central = m_window->takeCentralWidget();
    auto* box = new QWidget(m_window);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_infoBar = new InfoBar(box);
    layout->addWidget(m_infoBar);
    if (central)
        layout->addWidget(central, 1);
    m_window->setCentralWidget(box);
}

QSplitter* FileController::splitter() const
{
    return qobject_cast<QSplitter*>(m_window->pane(Side::Source)->parentWidget());
}

void FileController::restoreSettings()
{
    const QSettings settings = appSettings();
    if (QSplitter* s = splitter())
        s->restoreState(settings.value(kSplitter).toByteArray());
    m_window->filterEdit()->setText(settings.value(kFilterText).toString());
    m_window->onlyDifferences()->setChecked(settings.value(kOnlyDifferences, false).toBool());
    const QSignalBlocker blocker(m_autoReloadAction);
    m_autoReloadAction->setChecked(settings.value(kAutoReload, false).toBool());
}

// Geometry and dock layout wait for the first show: by then every dock and toolbar of the window exists.
void FileController::restoreWindowLayout()
{
    m_layoutRestored = true;
    const QSettings settings = appSettings();
    m_window->restoreGeometry(settings.value(kGeometry).toByteArray());
    m_window->restoreState(settings.value(kState).toByteArray());
}

void FileController::saveSettings() const
{
    QSettings settings = appSettings();
    settings.setValue(kGeometry, m_window->saveGeometry());
    settings.setValue(kState, m_window->saveState());
    if (QSplitter* s = splitter())
        settings.setValue(kSplitter, s->saveState());
    settings.setValue(kFilterText, m_window->filterEdit()->text());
    settings.setValue(kOnlyDifferences, m_window->onlyDifferences()->isChecked());
    settings.setValue(kAutoReload, autoReload());
}

bool FileController::autoReload() const
{
    return m_autoReloadAction->isChecked();
}

void FileController::setAutoReload(bool on)
{
    m_autoReloadAction->setChecked(on);
}

bool FileController::eventFilter(QObject* watched, QEvent* event)
{
    if (watched != m_window)
        return false;
    switch (event->type()) {
    case QEvent::Show:
        if (!m_layoutRestored)
            restoreWindowLayout();
        break;
    case QEvent::Close: saveSettings(); break;
    case QEvent::DragEnter:
    case QEvent::DragMove: {
        auto* drag = static_cast<QDragMoveEvent*>(event);
        if (!localFiles(drag->mimeData()).isEmpty()) {
            drag->acceptProposedAction();
            return true;
        }
        break;
    }
    case QEvent::Drop: {
        auto* drop = static_cast<QDropEvent*>(event);
        const QStringList files = localFiles(drop->mimeData());
        if (!files.isEmpty()) {
            drop->acceptProposedAction();
            openFiles(files);
            return true;
        }
        break;
    }
    default: break;
    }
    return false;
}

void FileController::openFiles(const QStringList& paths)
{
    if (paths.size() >= 2) {
        m_window->openFile(Side::Source, paths[0]);
        m_window->openFile(Side::Target, paths[1]);
        if (paths.size() > 2)
            m_window->statusBar()->showMessage(tr("Opened the first two of %n dropped files", nullptr, paths.size()), 5000);
        return;
    }
    if (paths.isEmpty())
        return;
    const bool sourceOpen = !m_session->path(Side::Source).isEmpty();
    const bool targetOpen = !m_session->path(Side::Target).isEmpty();
    m_window->openFile(sourceOpen && !targetOpen ? Side::Target : Side::Source, paths.front());
}

void FileController::reload()
{
    QSet<QString> open;
    for (Side side : {Side::Source, Side::Target}) {
        if (!m_session->path(side).isEmpty())
            open.insert(m_session->path(side));
    }
    m_changed.clear();
    m_infoBar->hide();
    reloadSides(open);
}

void FileController::reloadSides(const QSet<QString>& paths)
{
    if (paths.isEmpty())
        return;
    rememberView();
    for (Side side : {Side::Source, Side::Target}) {
        if (paths.contains(m_session->path(side)))
            m_session->reload(side);
    }
}

void FileController::swapSides()
{
    if (m_session->path(Side::Source).isEmpty() && m_session->path(Side::Target).isEmpty())
        return;
    rememberView();
    m_session->swapSides();
}

void FileController::rememberView()
{
    QTreeView* view = m_window->pane(Side::Source)->view();
    if (view->model() != m_window->filterModel())
        return; // no diff showing yet: nothing to keep
    m_viewState.capture(view, DiffTreeModel::KeyRole);
    m_restoreView = true;
}

void FileController::restoreView()
{
    m_restoreView = false;
    DiffTreeModel* model = m_window->diffModel();
    DiffFilterModel* filter = m_window->filterModel();
    // One side is enough: expansion and selection follow on the other (MainWindow keeps them in step).
    m_window->pane(Side::Target)->view()->collapseAll();
    m_viewState.restore(m_window->pane(Side::Source)->view(),
                        [model, filter](const QString& key) { return filter->mapFromSource(model->indexOfKey(key)); });
}

void FileController::onCheckpointOpened(Side side)
{
    const QString path = m_session->path(side);
    m_recent->addFile(path);
    if (!m_session->path(Side::Source).isEmpty() && !m_session->path(Side::Target).isEmpty())
        m_recent->addPair(m_session->path(Side::Source), m_session->path(Side::Target));
    m_changed.remove(path);
    if (m_changed.isEmpty())
        m_infoBar->hide();
    m_watcher->watch(path); // what was just read is the state to compare with from now on
    updateWatches();
}

void FileController::updateWatches()
{
    const QStringList open{m_session->path(Side::Source), m_session->path(Side::Target)};
    for (const QString& path : m_watcher->watched()) {
        if (!open.contains(path))
            m_watcher->unwatch(path);
    }
}

void FileController::onFileChanged(const QString& path)
{
    if (path != m_session->path(Side::Source) && path != m_session->path(Side::Target))
        return;
    if (autoReload()) {
        m_window->statusBar()->showMessage(tr("%1 changed on disk: reloading").arg(QFileInfo(path).fileName()), 5000);
        reloadSides({path});
        return;
    }
    m_changed.insert(path);
    QStringList names;
    for (const QString& p : std::as_const(m_changed))
        names << QFileInfo(p).fileName();
    names.sort();
    m_infoBar->showMessage(names.size() == 1 ? tr("%1 changed on disk.").arg(names.front())
                                             : tr("%1 changed on disk.").arg(names.join(QLatin1String(", "))));
}

} // namespace statescope
