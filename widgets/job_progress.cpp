#include "job_progress.h"

#include "checkpoint/inspect_report.h"

#include <QHBoxLayout>
#include <QProgressBar>
#include <QToolButton>

namespace statescope {

namespace {
// Bytes can exceed an int; the bar counts thousandths.
constexpr int kSteps = 1000;
} // namespace

JobProgress::JobProgress(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_bar = new QProgressBar(this);
    m_bar->setRange(0, kSteps);
    m_bar->setTextVisible(true);
    m_bar->setMinimumWidth(280);
    m_cancelButton = new QToolButton(this);
    m_cancelButton->setText(tr("Cancel"));
    m_cancelButton->setToolTip(tr("Stop this job"));
    layout->addWidget(m_bar);
    layout->addWidget(m_cancelButton);
    connect(m_cancelButton, &QToolButton::clicked, this, [this] {
        // Copy first: the callback may start another job, which replaces m_cancel.
        const std::function<void()> cancel = m_cancel;
        finish();
        if (cancel)
            cancel();
    });
    hide();
}

void JobProgress::start(const QString& title, std::function<void()> cancel)
{
    m_title = title;
    m_cancel = std::move(cancel);
    m_running = true;
    m_cancelButton->setVisible(bool(m_cancel));
    m_bar->setValue(0);
    m_bar->setFormat(title);
    show();
}

void JobProgress::setProgress(qint64 done, qint64 total)
{
    if (!m_running)
        return;
    m_bar->setValue(total > 0 ? int(double(std::min(done, total)) / double(total) * kSteps) : 0);
    m_bar->setFormat(tr("%1: %2 of %3").arg(m_title, humanBytes(done), humanBytes(total)));
}

void JobProgress::finish()
{
    m_running = false;
    m_cancel = nullptr;
    hide();
}

} // namespace statescope
