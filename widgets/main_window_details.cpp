// MainWindow's details dock, value comparison and job progress: kept apart from main_window.cpp so the
// window's core stays small and this part can change on its own.

#include "main_window.h"

#include "change_chart.h"
#include "details_panel.h"
#include "job_progress.h"
#include "overview_strip.h"
#include "session/diff_filter_model.h"
#include "session/diff_tree_model.h"
#include "session/value_jobs.h"

#include <QDockWidget>
#include <QItemSelectionModel>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>

namespace statescope {

namespace {

// The menu bar's menu with this title, made at the end when no other part of the window has made it yet.
QMenu* menuNamed(QMenuBar* bar, const QString& title)
{
    const QString plain = QString(title).remove(QLatin1Char('&'));
    for (QAction* action : bar->actions()) {
        if (action->menu() && action->text().remove(QLatin1Char('&')) == plain)
            return action->menu();
    }
    return bar->addMenu(title);
}

} // namespace

void MainWindow::installDetails()
{
    m_valueJobs = new ValueJobs(m_session, this);
    m_jobProgress = new JobProgress(this);
    statusBar()->addPermanentWidget(m_jobProgress);

    m_details = new DetailsPanel(this);
    auto* dock = new QDockWidget(tr("Details"), this);
    dock->setObjectName(QStringLiteral("details"));
    dock->setWidget(m_details);
    addDockWidget(Qt::RightDockWidgetArea, dock);

    QAction* showDetails = dock->toggleViewAction();
    showDetails->setText(tr("&Details"));
    menuNamed(menuBar(), tr("&View"))->addAction(showDetails);
    m_compareValues = menuNamed(menuBar(), tr("&Tools"))->addAction(tr("Compare &Values"), this, [this] {
        if (!m_session->diff().verdict) {
            statusBar()->showMessage(tr("Open a source and a target first"), 5000);
            return;
        }
        m_valueJobs->compareValues(m_session->diff());
    });
    m_compareValues->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_compareValues->setStatusTip(tr("Compare the values of every tensor torch would copy (max difference, relative change, cosine)"));
    m_compareValues->setEnabled(false);

    connect(m_session, &Session::diffReady, this, [this] {
        m_details->clear();
        m_compareValues->setEnabled(true);
    });
    connect(m_selection, &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { m_details->showRow(m_filter->mapToSource(current)); });
    connect(m_details, &DetailsPanel::statisticsWanted, this, [this](const QString& key) {
        m_valueJobs->requestStatistics(m_diffModel->snapshot(), key, DetailsPanel::kHistogramBins);
    });
    connect(m_valueJobs, &ValueJobs::statisticsReady, m_details, &DetailsPanel::showStatistics);
    connect(m_details->changeChart(), &ChangeChart::keyClicked, this, &MainWindow::selectKey);

    connect(m_valueJobs, &ValueJobs::compareStarted, this, [this] {
        m_details->setComparisonRunning(true);
        m_jobProgress->start(tr("Comparing values"), [this] { m_valueJobs->cancelCompare(); });
    });
    connect(m_valueJobs, &ValueJobs::compareProgress, m_jobProgress, &JobProgress::setProgress);
    connect(m_valueJobs, &ValueJobs::compareCancelled, this, [this] {
        m_details->setComparisonRunning(false);
        m_jobProgress->finish();
        statusBar()->showMessage(tr("Value comparison cancelled"), 5000);
    });
    connect(m_valueJobs, &ValueJobs::compareFailed, this, [this](const QString& message) {
        m_details->setComparisonRunning(false);
        m_jobProgress->finish();
        statusBar()->showMessage(message);
    });
    connect(m_valueJobs, &ValueJobs::valuesInvalidated, this, [this] { m_details->setValues(nullptr); });
    connect(m_valueJobs, &ValueJobs::compareFinished, this, [this](const ValueDiffPtr& values) {
        m_details->setComparisonRunning(false);
        m_jobProgress->finish();
        m_diffModel->setValues(values);
        m_overview->setDifferences(m_diffModel->differencePositions(), m_diffModel->displayRowCount());
        m_details->setValues(values);
        int changed = 0;
        int compared = 0;
        for (const ValueDiffEntry& e : values->entries) {
            if (e.state == ValueDiffEntry::State::Compared) {
                ++compared;
                changed += e.values.equal ? 0 : 1;
            }
        }
        statusBar()->showMessage(tr("Values: %1 of %n compared tensor(s) differ", nullptr, compared).arg(changed));
    });
}

} // namespace statescope
