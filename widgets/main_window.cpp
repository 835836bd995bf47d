#include "main_window.h"

#include "checkpoint_pane.h"
#include "file_controller.h"
#include "inspector_tools.h"
#include "load_report_view.h"
#include "repair_controller.h"
#include "overview_strip.h"
#include "diff/diff_report.h"
#include "formats/format_error.h"
#include "repair/repair_plan.h"
#include "session/value_jobs.h"
#include "session/diff_filter_model.h"
#include "session/diff_tree_model.h"
#include "status_style.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCheckBox>
#include <QDir>
#include <QLineEdit>
#include <QToolBar>
#include <QDockWidget>
#include <QItemSelectionModel>
#include <QLabel>
#include <QScrollBar>
#include <QSet>
#include <QTreeView>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QMenuBar>
#include <QVBoxLayout>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QThreadPool>
#include <QTimer>

namespace statescope {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    m_session = new Session(this);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    m_source = new CheckpointPane(tr("Source (checkpoint being loaded)"), splitter);
    m_target = new CheckpointPane(tr("Target (what the model expects)"), splitter);
    splitter->addWidget(m_source);
    splitter->addWidget(m_target);
    auto* central = new QWidget(this);
    auto* centralLayout = new QHBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(2);
    centralLayout->addWidget(splitter, 1);
    m_overview = new OverviewStrip(central);
    centralLayout->addWidget(m_overview);
    setCentralWidget(central);

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

    m_diffModel = new DiffTreeModel(this);
    m_filter = new DiffFilterModel(this);
    m_filter->setSourceModel(m_diffModel);
    m_selection = new QItemSelectionModel(m_filter, this);
    syncViews();

    // Filter bar: a key pattern (Ctrl+F) and "only differences", as in Meld and WinMerge.
    QToolBar* filterBar = addToolBar(tr("Filter"));
    filterBar->setObjectName(QStringLiteral("filterBar"));
    m_filterEdit = new QLineEdit(filterBar);
    m_filterEdit->setPlaceholderText(tr("Filter keys: text, glob (*, ?) or re:regex"));
    m_filterEdit->setClearButtonEnabled(true);
    filterBar->addWidget(m_filterEdit);
    m_onlyDifferences = new QCheckBox(tr("Only differences"), filterBar);
    filterBar->addWidget(m_onlyDifferences);
    auto* find = new QAction(tr("Find"), this);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, m_filterEdit, [this] {
        m_filterEdit->setFocus();
        m_filterEdit->selectAll();
    });
    addAction(find);
    connect(m_filterEdit, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_filter->setPattern(text);
        m_filterEdit->setStyleSheet(m_filter->patternIsValid() ? QString() : QStringLiteral("QLineEdit { color: #b71c1c; }"));
        expandDifferences();
    });
    connect(m_onlyDifferences, &QCheckBox::toggled, this, [this](bool only) {
        m_filter->setOnlyDifferences(only);
        expandDifferences();
    });

    // The load report: what torch would say, copyable, and the legend of the row markers.
    auto* dock = new QDockWidget(tr("Load report"), this);
    dock->setObjectName(QStringLiteral("loadReport"));
    auto* reportBox = new QWidget(dock);
    auto* reportLayout = new QVBoxLayout(reportBox);
    m_report = new LoadReportView(reportBox);
    m_report->setPlaceholderText(tr("Open a source and a target to see what load_state_dict(strict=True) would say."));
    QString legend;
    for (RowStatus status : {RowStatus::ShapeMismatch, RowStatus::Missing, RowStatus::Unexpected, RowStatus::DtypeDiffers,
                             RowStatus::ValueDiffers, RowStatus::MappedByRule, RowStatus::FilledByTorch}) {
        const StatusStyle style = statusStyle(status);
        legend += QStringLiteral("<span style='background:%1;color:white'>&nbsp;%2&nbsp;</span>&nbsp;%3&nbsp;&nbsp; ")
                      .arg(style.colour.name(), style.glyph.toHtmlEscaped(), DiffTreeModel::statusName(status).toHtmlEscaped());
    }
    auto* legendLabel = new QLabel(legend, reportBox);
    legendLabel->setWordWrap(true);
    reportLayout->addWidget(legendLabel);
    reportLayout->addWidget(m_report);
    dock->setWidget(reportBox);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    createNavigation();
    installDetails();
    m_repair = new RepairController(this);

    connect(m_source, &CheckpointPane::stateDictChosen, this, [this](int i) { m_session->selectStateDict(Side::Source, i); });
    connect(m_target, &CheckpointPane::stateDictChosen, this, [this](int i) { m_session->selectStateDict(Side::Target, i); });
    connect(m_session, &Session::diffReady, this, &MainWindow::showDiff);
    connect(m_overview, &OverviewStrip::differenceClicked, this, [this](int index) {
        const auto positions = m_diffModel->differencePositions();
        if (index >= 0 && index < positions.size())
            selectKey(m_diffModel->indexAtDisplayRow(positions[index].first).data(DiffTreeModel::KeyRole).toString());
    });
    connect(m_session, &Session::diffFailed, this, [this](const QString& message) {
        m_report->setReport(message);
        statusBar()->showMessage(message);
    });
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
    connect(m_session, &Session::sidesSwapped, this, &MainWindow::updateTitle);
    updateTitle();
    resize(1200, 760);
    m_tools = new InspectorTools(this); // before FileController: it restores the layout of our dock too
    m_files = new FileController(this, file); // last: it restores settings into the widgets above
}

void MainWindow::createNavigation()
{
    QMenu* go = menuBar()->addMenu(tr("&Go"));
    auto add = [this, go](const QString& text, QList<QKeySequence> keys, auto slot) {
        QAction* action = go->addAction(text, this, slot);
        action->setShortcuts(keys);
        action->setShortcutContext(Qt::WindowShortcut);
    };
    add(tr("&Next Difference"), {QKeySequence(Qt::ALT | Qt::Key_Down), QKeySequence(Qt::Key_F8)},
        [this] { goToDifference(true); });
    add(tr("&Previous Difference"), {QKeySequence(Qt::ALT | Qt::Key_Up), QKeySequence(Qt::Key_F7)},
        [this] { goToDifference(false); });
    add(tr("&First Difference"), {QKeySequence(Qt::ALT | Qt::Key_Home)}, [this] { goToDifference(true, true); });
    add(tr("&Last Difference"), {QKeySequence(Qt::ALT | Qt::Key_End)}, [this] { goToDifference(false, true); });
}

void MainWindow::selectKey(const QString& key)
{
    const QModelIndex source = m_diffModel->indexOfKey(key);
    if (!source.isValid()) {
        statusBar()->showMessage(tr("%1 is on neither side").arg(key));
        return;
    }
    const QModelIndex index = m_filter->mapFromSource(source);
    if (!index.isValid()) {
        statusBar()->showMessage(tr("%1 is hidden by the filter").arg(key));
        return;
    }
    m_selection->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    for (CheckpointPane* p : {m_source, m_target}) {
        for (QModelIndex parent = index.parent(); parent.isValid(); parent = parent.parent())
            p->view()->expand(parent);
        p->view()->scrollTo(index);
    }
}

void MainWindow::goToDifference(bool forward, bool fromEnd)
{
    const QModelIndex current = fromEnd ? QModelIndex() : m_filter->mapToSource(m_selection->currentIndex());
    // The next difference the filter lets through; at most one lap around.
    QModelIndex next = m_diffModel->nextDifference(current.isValid() ? current.siblingAtColumn(0) : current, forward);
    const QModelIndex first = next;
    while (next.isValid() && !m_filter->mapFromSource(next).isValid()) {
        next = m_diffModel->nextDifference(next, forward);
        if (next == first)
            next = QModelIndex();
    }
    if (!next.isValid()) {
        statusBar()->showMessage(tr("No differences"), 3000);
        return;
    }
    selectKey(next.data(DiffTreeModel::KeyRole).toString());
}

// "Expand to differences": open the tree down to every difference the filter shows. Each module above a
// difference is collected once and both views expand the lot with one layout each: one expand() per
// difference on a laid-out view (and its mirror on the other) cost seconds of frozen window on 100k keys.
bool MainWindow::expandDifferences()
{
    // Opening every module above every difference of a 100k-key pair whose differences are spread over the
    // whole tree makes ~50k rows visible, and QTreeView lays them all out in one go (~60 ms per view). So only
    // the differences whose modules fit in a budget of revealed rows open, in display order; Alt+Down walks
    // on to the rest (selectKey opens the way to each).
    constexpr int kRowBudget = 4000;
    QModelIndexList modules;
    QSet<QModelIndex> seen;
    int revealed = 0;
    bool complete = true;
    for (QModelIndex at = m_diffModel->firstDifference(), first = at; at.isValid();) {
        const QModelIndex shown = m_filter->mapFromSource(at);
        QModelIndexList chain;
        int cost = 0;
        for (QModelIndex parent = shown.parent(); parent.isValid() && !seen.contains(parent); parent = parent.parent()) {
            chain.push_back(parent);
            cost += m_filter->rowCount(parent);
        }
        if (!chain.isEmpty() && revealed + cost > kRowBudget && !modules.isEmpty()) {
            complete = false;
            break;
        }
        revealed += cost;
        for (const QModelIndex& parent : chain) {
            seen.insert(parent);
            modules.push_back(parent);
        }
        at = m_diffModel->nextDifference(at, true);
        if (at == first)
            break;
    }
    if (modules.isEmpty())
        return complete;
    // Both views wait for one layout before the source expands: its expanded() signals then only record
    // the rows in the target too (syncViews).
    m_target->deferLayout();
    m_source->expandBatch(modules);
    return complete;
}

// The two sides are one model seen twice: expanding, collapsing and scrolling one side does the same on the
// other, and they share one selection model.
void MainWindow::syncViews()
{
    for (auto [fromPane, toPane] : {std::pair{m_source, m_target}, std::pair{m_target, m_source}}) {
        QTreeView* from = fromPane->view();
        QTreeView* to = toPane->view();
        CheckpointPane* follower = toPane;
        connect(from, &QTreeView::expanded, to, [to, follower](const QModelIndex& i) {
            if (to->model() == i.model() && !to->isExpanded(i))
                follower->followExpand(i);
        });
        connect(from, &QTreeView::collapsed, to, [to](const QModelIndex& i) {
            if (to->model() == i.model() && to->isExpanded(i))
                to->collapse(i);
        });
        connect(from->verticalScrollBar(), &QScrollBar::valueChanged, to, [from, to](int value) {
            if (from->model() == to->model() && to->verticalScrollBar()->value() != value)
                to->verticalScrollBar()->setValue(value);
        });
    }
}

void MainWindow::showDiff()
{
    const DiffSnapshot& snapshot = m_session->diff();
    m_diffModel->setSnapshot(snapshot);
    m_source->showDiff(m_filter, m_selection, true);
    m_target->showDiff(m_filter, m_selection, false);
    m_overview->setDifferences(m_diffModel->differencePositions(), m_diffModel->displayRowCount());
    const bool allOpened = expandDifferences();
    const DiffResult& verdict = *snapshot.verdict;
    const DiffSide source{snapshot.source->path(), formatName(snapshot.source->format()), snapshot.sourceDict.path,
                          int(snapshot.sourceDict.entries.size())};
    const DiffSide target{snapshot.target->path(), formatName(snapshot.target->format()), snapshot.targetDict.path,
                          int(snapshot.targetDict.entries.size())};
    m_report->setReport(diffText(source, target, snapshot.modelName, verdict));
    QString message = verdict.loadable ? tr("The source loads into the target with strict=True")
                                       : tr("%n difference(s): load_state_dict(strict=True) would fail", nullptr,
                                            m_diffModel->differencePositions().size());
    if (!allOpened)
        message += QLatin1String(" ") + tr("(the first differences are expanded; Alt+Down walks to the rest)");
    statusBar()->showMessage(message);
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
        tr("Checkpoints (*.pt *.pth *.ckpt *.bin *.tar *.pt2 *.safetensors *.json);;All files (*)"));
    if (!path.isEmpty())
        openFile(side, path);
}

void MainWindow::openDemo()
{
    // The demo pair ships inside the executable; readers map real files, so it is copied out once per open,
    // on a pool thread (the GUI thread touches no file), and opened when both copies are there.
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QLatin1String("/demo");
    QPointer<MainWindow> self(this);
    QThreadPool::globalInstance()->start([self, dir] {
        const QString names[2] = {QStringLiteral("demo_source.pt"), QStringLiteral("demo_target.pt")};
        QStringList paths;
        QDir().mkpath(dir);
        for (const QString& name : names) {
            const QString out = dir + QLatin1Char('/') + name;
            QFile::remove(out);
            if (!QFile::copy(QLatin1String(":/demo/") + name, out)) {
                paths.clear();
                break;
            }
            QFile::setPermissions(out, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
            paths << out;
        }
        QMetaObject::invokeMethod(qApp, [self, dir, paths] {
            if (!self)
                return;
            if (paths.size() != 2) {
                self->statusBar()->showMessage(tr("Cannot write the demo checkpoints to %1").arg(dir));
                return;
            }
            self->openFile(Side::Source, paths[0]);
            self->openFile(Side::Target, paths[1]);
        }, Qt::QueuedConnection);
    });
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
    const QCommandLineOption select(QStringLiteral("select"), QStringLiteral("Select KEY once both sides are open."),
                                    QStringLiteral("KEY"));
    parser.addOption(select);
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Save a picture of the window to FILE once the files are open, then quit."),
                                        QStringLiteral("FILE"));
    parser.addOption(screenshot);
    const QCommandLineOption rules(QStringLiteral("rules"),
                                   QStringLiteral("Apply the rules file RULES (as statescope suggest writes it) to SOURCE."),
                                   QStringLiteral("RULES"));
    parser.addOption(rules);
    const QCommandLineOption compare(QStringLiteral("compare-values"),
                                     QStringLiteral("Compare the tensor values of both sides once they are open."));
    parser.addOption(compare);
    parser.process(app);

    MainWindow window;
    const QStringList files = parser.positionalArguments();
    if (parser.isSet(demo))
        window.openDemo();
    if (files.size() > 0)
        window.openFile(Side::Source, files[0]);
    if (files.size() > 1)
        window.openFile(Side::Target, files[1]);
    if (parser.isSet(rules)) {
        try {
            window.session()->setPlan(readRepairPlan(parser.value(rules)));
        } catch (const FormatError& e) {
            qCritical("statescope: %s", qPrintable(e.message()));
            return 2;
        }
    }
    if (parser.isSet(compare)) {
        // Once, on the first diff of the pair: later diffs (a rule added) leave the choice to the user.
        auto* once = new QObject(&window);
        QObject::connect(window.session(), &Session::diffReady, once, [&window, once] {
            window.compareValuesAction()->trigger();
            once->deleteLater();
        });
    }
    if (parser.isSet(select)) {
        const QString key = parser.value(select);
        QObject::connect(window.session(), &Session::diffReady, &window, [&window, key] { window.selectKey(key); });
    }
    if (parser.isSet(screenshot)) {
        // For docs/ and bug reports: wait until nothing is loading, then grab what a user would see.
        const QString file = parser.value(screenshot);
        auto grab = [&window, file] {
            QTimer::singleShot(800, &window, [&window, file] {
                if (!window.grab().save(file))
                    qWarning("cannot write %s", qPrintable(file));
                QCoreApplication::quit();
            });
        };
        if (parser.isSet(compare)) {
            QObject::connect(window.valueJobs(), &ValueJobs::compareFinished, &window, grab);
        } else if (parser.isSet(select)) {
            // The selected key's statistics and histogram are part of the picture; a module has none, so a
            // deadline takes the picture anyway.
            QObject::connect(window.valueJobs(), &ValueJobs::statisticsReady, &window, grab);
            QTimer::singleShot(15000, &window, grab);
        } else {
            QObject::connect(window.session(), &Session::busyChanged, &window, [grab](bool busy) {
                if (!busy)
                    grab();
            });
        }
    }
    window.show();
    return app.exec();
}

} // namespace statescope
