#include "main_window.h"

#include "checkpoint_pane.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>

namespace statescope {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    m_session = new Session(this);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    m_source = new CheckpointPane(tr("Source (checkpoint being loaded)"), splitter);
    m_target = new CheckpointPane(tr("Target (what the model expects)"), splitter);
    splitter->addWidget(m_source);
    splitter->addWidget(m_target);
    setCentralWidget(splitter);

    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* openSource = file->addAction(tr("&Open Source..."), this, [this] { chooseFile(Side::Source); });
    openSource->setShortcut(QKeySequence::Open);
    file->addAction(tr("Open &Target..."), this, [this] { chooseFile(Side::Target); });
    file->addAction(tr("Open &Demo"), this, &MainWindow::openDemo);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    auto* busy = new QProgressBar(this);
    busy->setRange(0, 0);
    busy->setMaximumWidth(120);
    busy->hide();
    statusBar()->addPermanentWidget(busy);

    connect(m_source, &CheckpointPane::fileDropped, this, [this](const QString& p) { openFile(Side::Source, p); });
    connect(m_target, &CheckpointPane::fileDropped, this, [this](const QString& p) { openFile(Side::Target, p); });
    connect(m_session, &Session::busyChanged, busy, &QWidget::setVisible);
    connect(m_session, &Session::checkpointOpened, this, [this](Side side) {
        pane(side)->showCheckpoint(m_session->opened(side));
        statusBar()->showMessage(tr("Opened %1").arg(m_session->path(side)), 5000);
        updateTitle();
    });
    connect(m_session, &Session::openFailed, this, [this](Side side, const QString& message) {
        pane(side)->showMessage(message);
        statusBar()->showMessage(message);
    });
    updateTitle();
    resize(1200, 760);
}

void MainWindow::openFile(Side side, const QString& path)
{
    pane(side)->showMessage(tr("opening %1...").arg(QFileInfo(path).fileName()));
    m_session->open(side, path);
}

void MainWindow::chooseFile(Side side)
{
    const QString path = QFileDialog::getOpenFileName(
        this, side == Side::Source ? tr("Open Source Checkpoint") : tr("Open Target"), QString(),
        tr("Checkpoints (*.pt *.pth *.ckpt *.bin *.tar *.safetensors *.json);;All files (*)"));
    if (!path.isEmpty())
        openFile(side, path);
}

void MainWindow::openDemo()
{
    // The demo pair ships inside the executable; readers map real files, so copy them out once.
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QLatin1String("/demo");
    QDir().mkpath(dir);
    const QString names[2] = {QStringLiteral("demo_source.pt"), QStringLiteral("demo_target.pt")};
    for (int side = 0; side < 2; ++side) {
        const QString out = dir + QLatin1Char('/') + names[side];
        QFile::remove(out);
        if (!QFile::copy(QLatin1String(":/demo/") + names[side], out)) {
            statusBar()->showMessage(tr("Cannot write the demo checkpoints to %1").arg(dir));
            return;
        }
        QFile::setPermissions(out, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
        openFile(static_cast<Side>(side), out);
    }
}

void MainWindow::updateTitle()
{
    const QString source = m_session->path(Side::Source);
    const QString target = m_session->path(Side::Target);
    if (source.isEmpty() && target.isEmpty()) {
        setWindowTitle(QStringLiteral("StateScope"));
        return;
    }
    auto name = [this](const QString& p) { return p.isEmpty() ? tr("(none)") : QFileInfo(p).fileName(); };
    setWindowTitle(QStringLiteral("StateScope - %1 vs %2").arg(name(source), name(target)));
}

int runMainWindow(QApplication& app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("StateScope: inspect and repair PyTorch checkpoints."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("SOURCE"), QStringLiteral("The checkpoint being loaded."));
    parser.addPositionalArgument(QStringLiteral("TARGET"), QStringLiteral("What the model expects."));
    const QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Open the bundled demo checkpoints."));
    parser.addOption(demo);
    parser.process(app);

    MainWindow window;
    const QStringList files = parser.positionalArguments();
    if (parser.isSet(demo))
        window.openDemo();
    if (files.size() > 0)
        window.openFile(Side::Source, files[0]);
    if (files.size() > 1)
        window.openFile(Side::Target, files[1]);
    window.show();
    return app.exec();
}

} // namespace statescope
