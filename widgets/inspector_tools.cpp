#include "inspector_tools.h"

#include "checkpoint_pane.h"
#include "container_browser.h"
#include "diff/torch_error_text.h"
#include "error_key_delegate.h"
#include "export_dialog.h"
#include "load_report_view.h"
#include "main_window.h"
#include "paste_error_dialog.h"
#include "session/diff_tree_model.h"
#include "unsafe_banner.h"

#include <QBoxLayout>
#include <QClipboard>
#include <QDockWidget>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QTreeView>

#include <functional>

namespace statescope {

namespace {

// The menu bar's menu with this title, made when no other part of the window has made it yet.
QMenu* menuNamed(QMenuBar* bar, const QString& title)
{
    const QString plain = QString(title).remove(QLatin1Char('&'));
    for (QAction* action : bar->actions()) {
        if (action->menu() && action->text().remove(QLatin1Char('&')) == plain)
            return action->menu();
    }
    return bar->addMenu(title);
}

// Every row of a tree model, depth first (tensor rows of a state dict: bounded by the file's key count).
void forEachRow(const QAbstractItemModel* model, const QModelIndex& parent, const std::function<void(const QModelIndex&)>& visit)
{
    for (int row = 0, rows = model->rowCount(parent); row < rows; ++row) {
        const QModelIndex index = model->index(row, 0, parent);
        visit(index);
        forEachRow(model, index, visit);
    }
}

} // namespace

InspectorTools::InspectorTools(MainWindow* window) : QObject(window), m_window(window), m_session(window->session())
{
    QMenu* file = menuNamed(window->menuBar(), tr("&File"));
    m_exportAction = new QAction(tr("&Export Fixed Checkpoint..."), this);
    m_exportAction->setShortcut(QKeySequence::Save);
    m_exportAction->setStatusTip(tr("Write the repaired source as a torch or safetensors file and check that it loads"));
    m_exportAction->setEnabled(false);
    connect(m_exportAction, &QAction::triggered, this, &InspectorTools::openExportDialog);
    QAction* quit = nullptr;
    for (QAction* action : file->actions()) {
        if (action->shortcut() == QKeySequence(QKeySequence::Quit))
            quit = action;
    }
    file->insertAction(quit, m_exportAction);
    file->insertSeparator(quit);

    installBanner();
    installBrowser();
    installPasteError();

    connect(m_session, &Session::checkpointOpened, this, &InspectorTools::refreshSide);
    connect(m_session, &Session::sidesSwapped, this, [this] {
        refreshSide(Side::Source);
        refreshSide(Side::Target);
    });
    // Made after the window's own handler: the panes have their diff delegates by now, which ours replace.
    connect(m_session, &Session::diffReady, this, [this] {
        m_exportAction->setEnabled(true);
        installDelegates(); // the export dialog follows the session by itself, and is prepared when opened
    });
    installDelegates();
}

void InspectorTools::installBanner()
{
    QWidget* central = m_window->takeCentralWidget();
    auto* box = new QWidget(m_window);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_banner = new UnsafeBanner(box);
    layout->addWidget(m_banner);
    if (central)
        layout->addWidget(central, 1);
    m_window->setCentralWidget(box);
}

void InspectorTools::installBrowser()
{
    m_browser = new ContainerBrowser(m_window);
    m_browserDock = new QDockWidget(tr("Container"), m_window);
    m_browserDock->setObjectName(QStringLiteral("containerBrowser"));
    m_browserDock->setWidget(m_browser);
    m_window->addDockWidget(Qt::RightDockWidgetArea, m_browserDock);
    if (auto* details = m_window->findChild<QDockWidget*>(QStringLiteral("details"))) {
        m_window->tabifyDockWidget(details, m_browserDock);
        details->raise(); // the selected key's details are what a user looks at first
    }
    QAction* show = m_browserDock->toggleViewAction();
    show->setText(tr("&Container Browser"));
    menuNamed(m_window->menuBar(), tr("&View"))->addAction(show);
    connect(m_browser, &ContainerBrowser::stateDictChosen, this, [this](int side, int index) {
        m_window->pane(static_cast<Side>(side))->chooseStateDict(index);
    });
}

void InspectorTools::installPasteError()
{
    m_pasteErrorAction = menuNamed(m_window->menuBar(), tr("&Edit"))->addAction(tr("Paste torch &Error..."));
    m_pasteErrorAction->setStatusTip(tr("Mark the keys of a load_state_dict error pasted from a terminal"));
    connect(m_pasteErrorAction, &QAction::triggered, this, &InspectorTools::pasteError);

    // Into the load report dock, under torch's text: the buttons and what the pasted error named.
    auto* layout = qobject_cast<QBoxLayout*>(m_window->loadReport()->parentWidget()->layout());
    auto* row = new QHBoxLayout;
    auto* paste = new QPushButton(tr("Paste Error..."), m_window->loadReport()->parentWidget());
    paste->setToolTip(m_pasteErrorAction->statusTip());
    connect(paste, &QPushButton::clicked, this, &InspectorTools::pasteError);
    m_clearPasted = new QPushButton(tr("Clear Pasted Error"), paste->parentWidget());
    m_clearPasted->hide();
    connect(m_clearPasted, &QPushButton::clicked, this, &InspectorTools::clearPastedError);
    row->addWidget(paste);
    row->addWidget(m_clearPasted);
    row->addStretch(1);
    m_pasted = new QPlainTextEdit(paste->parentWidget());
    m_pasted->setReadOnly(true);
    m_pasted->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_pasted->setMaximumHeight(120);
    m_pasted->hide();
    if (layout) {
        layout->addLayout(row);
        layout->addWidget(m_pasted);
    }
}

void InspectorTools::refreshSide(Side side)
{
    const OpenedCheckpoint& opened = m_session->opened(side);
    m_banner->setCheckpoint(int(side), opened.checkpoint);
    if (opened.checkpoint)
        m_browser->showCheckpoint(int(side), opened);
    else
        m_browser->clear(int(side));
    installDelegates();
}

void InspectorTools::installDelegates()
{
    for (Side side : {Side::Source, Side::Target}) {
        QTreeView* view = m_window->pane(side)->view();
        ErrorKeyDelegate*& delegate = m_delegates[int(side)];
        if (!delegate)
            delegate = new ErrorKeyDelegate(view);
        if (view->itemDelegate() != delegate)
            view->setItemDelegate(delegate);
    }
}

ExportDialog* InspectorTools::exportDialog()
{
    if (!m_exportDialog) {
        m_exportDialog = new ExportDialog(m_session, m_window);
        connect(m_exportDialog, &ExportDialog::exportEnded, this, [this](ExportDialog::State state) {
            m_window->statusBar()->showMessage(m_exportDialog->resultText(), state == ExportDialog::State::Succeeded ? 0 : 8000);
        });
        m_exportDialog->prepare();
    }
    return m_exportDialog;
}

void InspectorTools::openExportDialog()
{
    if (!m_session->diff().verdict) {
        m_window->statusBar()->showMessage(tr("Open a source and a target first"), 5000);
        return;
    }
    ExportDialog* dialog = exportDialog();
    if (dialog->state() != ExportDialog::State::Running)
        dialog->prepare();
    // Not modal: the user may edit rules, undo or look at other keys while it is open; it follows the plan.
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

void InspectorTools::pasteError()
{
    PasteErrorDialog dialog(m_window);
    const QString clip = QGuiApplication::clipboard() ? QGuiApplication::clipboard()->text() : QString();
    if (clip.contains(QLatin1String("Error(s) in loading state_dict")))
        dialog.setText(clip);
    if (dialog.exec() == QDialog::Accepted)
        showPastedError(dialog.parsed());
}

void InspectorTools::showPastedError(const ParsedTorchError& error)
{
    QSet<QString> keys;
    for (const QString& key : error.unexpected)
        keys.insert(key);
    for (const ShapeMismatch& m : error.sizeMismatch)
        keys.insert(m.key);
    for (const QString& key : error.missing)
        keys.insert(key);
    for (ErrorKeyDelegate* delegate : m_delegates)
        delegate->setKeys(keys);
    revealMarkedKeys();

    // What a tree can show, and what it cannot: a source-only window has no row for a missing key.
    QSet<QString> shown;
    for (Side side : {Side::Source, Side::Target}) {
        const QTreeView* view = m_window->pane(side)->view();
        forEachRow(view->model(), {}, [&](const QModelIndex& index) {
            if (m_delegates[int(side)]->highlights(index))
                shown.insert(ErrorKeyDelegate::tensorKey(index));
        });
    }
    QStringList lines;
    lines << tr("Pasted error for %1: %2 missing, %3 unexpected, %4 size mismatch; %5 marked in the trees.")
                 .arg(error.modelName)
                 .arg(error.missing.size())
                 .arg(error.unexpected.size())
                 .arg(error.sizeMismatch.size())
                 .arg(shown.size());
    QStringList absent;
    for (const QString& key : error.missing) {
        if (!shown.contains(key))
            absent << key;
    }
    if (!absent.isEmpty())
        lines << tr("Missing (the model expects them; not in the source): %1").arg(absent.join(QLatin1String(", ")));
    QStringList unknown;
    for (const QString& key : error.unexpected) {
        if (!shown.contains(key))
            unknown << key;
    }
    for (const ShapeMismatch& m : error.sizeMismatch) {
        if (!shown.contains(m.key))
            unknown << m.key;
    }
    if (!unknown.isEmpty())
        lines << tr("Named in the error but in neither open file: %1").arg(unknown.join(QLatin1String(", ")));
    for (const QString& message : error.otherMessages)
        lines << message;
    m_pasted->setPlainText(lines.join(QLatin1Char('\n')));
    m_pasted->show();
    m_clearPasted->show();
}

void InspectorTools::clearPastedError()
{
    for (ErrorKeyDelegate* delegate : m_delegates) {
        delegate->setKeys({});
    }
    for (Side side : {Side::Source, Side::Target})
        m_window->pane(side)->view()->viewport()->update();
    m_pasted->clear();
    m_pasted->hide();
    m_clearPasted->hide();
}

QString InspectorTools::pastedErrorText() const
{
    return m_pasted->isHidden() ? QString() : m_pasted->toPlainText();
}

// Opens the trees down to every marked row and scrolls to the first one.
void InspectorTools::revealMarkedKeys()
{
    for (Side side : {Side::Source, Side::Target}) {
        QTreeView* view = m_window->pane(side)->view();
        QModelIndex first;
        forEachRow(view->model(), {}, [&](const QModelIndex& index) {
            if (!m_delegates[int(side)]->highlights(index))
                return;
            for (QModelIndex p = index.parent(); p.isValid(); p = p.parent())
                view->expand(p);
            if (!first.isValid())
                first = index;
        });
        if (first.isValid())
            view->scrollTo(first);
        view->viewport()->update();
    }
}

} // namespace statescope
