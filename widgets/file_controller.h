#pragma once

#include "session/session.h"
#include "view_state.h"

#include <QObject>
#include <QSet>
#include <QStringList>

class QAction;
class QMenu;
class QSplitter;

namespace statescope {

class FileWatcher;
class InfoBar;
class MainWindow;
class RecentFiles;

// The window's file handling beside opening: Open Recent, Reload (F5), Swap Sides, files dropped on the
// window, watching open files for rewrites (info bar or auto-reload) and the settings that persist across
// runs (geometry, dock layout, splitter, filter, auto-reload, recent files). Kept out of MainWindow so the
// window class stays about views; it installs itself through the window's public interface.
class FileController : public QObject
{
    Q_OBJECT
public:
    // `fileMenu`: the window's File menu; Open Recent, Reload and Swap Sides go in before its Quit.
    FileController(MainWindow* window, QMenu* fileMenu);

    // Two or more files: the first is the source, the second the target. One file: the side still empty
    // (the source when both or neither are open).
    void openFiles(const QStringList& paths);
    // Reads the open files again, keeping expansion and selection where their keys still exist.
    void reload();
    void swapSides();
    bool autoReload() const;
    void setAutoReload(bool on);
    void saveSettings() const;

    InfoBar* infoBar() const { return m_infoBar; }
    RecentFiles* recentFiles() const { return m_recent; }
    FileWatcher* watcher() const { return m_watcher; }
    QAction* reloadAction() const { return m_reloadAction; }
    QAction* swapAction() const { return m_swapAction; }
    QAction* autoReloadAction() const { return m_autoReloadAction; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void createActions(QMenu* fileMenu);
    void placeInfoBar();
    void restoreSettings();
    void restoreWindowLayout();
    void onCheckpointOpened(Side side);
    void onFileChanged(const QString& path);
    void reloadSides(const QSet<QString>& paths);
    void rememberView();
    void restoreView();
    void updateWatches();
    QSplitter* splitter() const;

    MainWindow* m_window = nullptr;
    Session* m_session = nullptr;
    FileWatcher* m_watcher = nullptr;
    InfoBar* m_infoBar = nullptr;
    RecentFiles* m_recent = nullptr;
    QAction* m_reloadAction = nullptr;
    QAction* m_swapAction = nullptr;
    QAction* m_autoReloadAction = nullptr;
    QSet<QString> m_changed; // open files rewritten on disk, not reloaded yet
    QStringList m_watched;
    ViewState m_viewState;
    bool m_restoreView = false; // put m_viewState back once the pending reload or swap has its diff
    bool m_layoutRestored = false;
};

} // namespace statescope
