#pragma once

#include "session/session.h"

#include <QObject>
#include <QPointer>

class QAction;
class QDockWidget;
class QPlainTextEdit;
class QPushButton;

namespace statescope {

class ContainerBrowser;
class ErrorKeyDelegate;
class ExportDialog;
class MainWindow;
class UnsafeBanner;
struct ParsedTorchError;

// The window's tools around the diff: File > Export Fixed Checkpoint (Ctrl+S), the container browser dock,
// the unsafe-globals banner above the trees, and Paste torch Error (its keys marked in the trees). Kept out
// of MainWindow so the window class stays about views; it installs itself through the window's public
// interface and must be made before the FileController restores the dock layout.
class InspectorTools : public QObject
{
    Q_OBJECT
public:
    explicit InspectorTools(MainWindow* window);

    QAction* exportAction() const { return m_exportAction; }
    QAction* pasteErrorAction() const { return m_pasteErrorAction; }
    // Made on first use.
    ExportDialog* exportDialog();
    ContainerBrowser* containerBrowser() const { return m_browser; }
    QDockWidget* containerDock() const { return m_browserDock; }
    UnsafeBanner* unsafeBanner() const { return m_banner; }
    ErrorKeyDelegate* errorKeyDelegate(Side side) const { return m_delegates[int(side)]; }

    // Marks the keys of a pasted torch error in both trees and lists them in the load report dock.
    void showPastedError(const ParsedTorchError& error);
    void clearPastedError();
    QString pastedErrorText() const;
    // Opens the export dialog for the current diff (the Ctrl+S action).
    void openExportDialog();
    // The Paste Error dialog (Edit menu, load report button).
    void pasteError();

private:
    void installBanner();
    void installBrowser();
    void installPasteError();
    void refreshSide(Side side);
    void installDelegates();
    void revealMarkedKeys();

    MainWindow* m_window = nullptr;
    Session* m_session = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_pasteErrorAction = nullptr;
    QPointer<ExportDialog> m_exportDialog;
    ContainerBrowser* m_browser = nullptr;
    QDockWidget* m_browserDock = nullptr;
    UnsafeBanner* m_banner = nullptr;
    ErrorKeyDelegate* m_delegates[2] = {nullptr, nullptr};
    QPlainTextEdit* m_pasted = nullptr;
    QPushButton* m_clearPasted = nullptr;
};

} // namespace statescope
