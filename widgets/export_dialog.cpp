#include "export_dialog.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/inspect_report.h"
#include "session/session.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

#include <utility>

namespace statescope {

namespace {

const QLatin1String kTorchSuffix(".fixed.pt");
const QLatin1String kSafeTensorsSuffix(".fixed.safetensors");

QString ruleText(const RepairRule& rule)
{
    const auto quoted = [](const QString& s) -> QString { return QLatin1Char('\'') + s + QLatin1Char('\''); };
    QString text = repairOpName(rule.op);
    switch (rule.op) {
    case RepairRule::Op::StripPrefix: text += QLatin1Char(' ') + quoted(rule.prefix); break;
    case RepairRule::Op::AddPrefix:
        text += QLatin1Char(' ') + quoted(rule.prefix);
        if (!rule.pattern.isNull())
            text += QLatin1String(" to ") + quoted(rule.pattern);
        break;
    case RepairRule::Op::Rename: text += QLatin1Char(' ') + quoted(rule.pattern) + QLatin1String(" -> ") + quoted(rule.replace); break;
    case RepairRule::Op::Map: text += QLatin1Char(' ') + quoted(rule.from) + QLatin1String(" -> ") + quoted(rule.to); break;
    case RepairRule::Op::Cast: text += QLatin1Char(' ') + quoted(rule.pattern) + QLatin1String(" to ") + rule.dtype; break;
    case RepairRule::Op::FillNumBatchesTracked: break;
    default: text += QLatin1Char(' ') + quoted(rule.pattern); break;
    }
    return rule.enabled ? text : text + QLatin1String(" (disabled)");
}

bool isContainerless(const DiffSnapshot& snapshot)
{
    if (!snapshot.source)
        return true;
    return !formatHasContainer(snapshot.source->format());
}

} // namespace

ExportDialog::ExportDialog(Session* session, QWidget* parent) : QDialog(parent), m_session(session)
{
    setWindowTitle(tr("Export Fixed Checkpoint"));
    m_job = new ExportJob(session, this);

    m_path = new QLineEdit(this);
    auto* browseButton = new QPushButton(tr("Browse..."), this);
    connect(browseButton, &QPushButton::clicked, this, &ExportDialog::browse);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browseButton);

    m_format = new QComboBox(this);
    m_format->addItem(tr("PyTorch (torch.load)"), int(ExportOptions::Format::Torch));
    m_format->addItem(tr("safetensors (state dict only)"), int(ExportOptions::Format::SafeTensors));
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::formatChanged);

    m_container = new QRadioButton(tr("Whole container (epoch, optimizer, ... kept)"), this);
    m_stateDictOnly = new QRadioButton(tr("State dict only"), this);
    m_container->setChecked(true);
    auto* contentRow = new QVBoxLayout;
    contentRow->addWidget(m_container);
    contentRow->addWidget(m_stateDictOnly);

    auto* form = new QFormLayout;
    form->addRow(tr("&Output:"), pathRow);
    form->addRow(tr("&Format:"), m_format);
    form->addRow(tr("Content:"), contentRow);

    m_plan = new QLabel(this);
    m_plan->setWordWrap(true);
    m_plan->setTextFormat(Qt::PlainText);
    m_plan->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warning = new QLabel(this);
    m_warning->setWordWrap(true);
    m_warning->setTextFormat(Qt::PlainText);
    m_warning->setStyleSheet(QStringLiteral("QLabel { background: #fff4d6; color: #6b4e00; padding: 4px; }"));
    m_warning->hide();
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->hide();
    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::PlainText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_torchText = new QPlainTextEdit(this);
    m_torchText->setReadOnly(true);
    m_torchText->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_torchText->hide();

    auto* buttons = new QDialogButtonBox(this);
    m_export = buttons->addButton(tr("&Export"), QDialogButtonBox::AcceptRole);
    m_close = buttons->addButton(QDialogButtonBox::Close);
    m_export->setDefault(true);
    // Accepting would close the dialog before the verdict is shown: Export only starts the job.
    disconnect(buttons, &QDialogButtonBox::accepted, nullptr, nullptr);
    connect(m_export, &QPushButton::clicked, this, [this] { startExport(); });
    connect(m_close, &QPushButton::clicked, this, &ExportDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_plan);
    layout->addWidget(m_warning);
    layout->addWidget(m_progress);
    layout->addWidget(m_result);
    layout->addWidget(m_torchText, 1);
    layout->addWidget(buttons);

    connect(m_job, &ExportJob::progress, this, [this](qint64 done, qint64 total) {
        m_progress->setValue(total > 0 ? int(1000 * double(done) / double(total)) : 0);
        m_progress->setFormat(tr("%1 of %2").arg(humanBytes(done), humanBytes(total)));
    });
    connect(m_job, &ExportJob::finished, this, &ExportDialog::finished);
    connect(m_job, &ExportJob::failed, this,
            [this](const QString& message) { setState(State::Failed, tr("Export failed: %1").arg(message)); });
    connect(m_job, &ExportJob::cancelled, this,
            [this] { setState(State::Cancelled, tr("Export cancelled; nothing was written.")); });
    connect(session, &Session::diffReady, this, [this] { followSession(FollowReason::DiffReady); });
    connect(session, &Session::diffFailed, this,
            [this](const QString& message) { followSession(FollowReason::DiffFailed, message); });
    // Queued: the session emits planChanged before it starts the plan's diff, and we ask whether one runs.
    connect(session, &Session::planChanged, this, [this] { followSession(FollowReason::PlanChanged); }, Qt::QueuedConnection);
    resize(620, 420);
}

QString ExportDialog::defaultOutputPath() const
{
    const QString source = m_session->diff().source ? m_session->diff().source->path() : m_session->path(Side::Source);
    if (source.isEmpty())
        return {};
    const QFileInfo info(source);
    const bool safetensors = options().format == ExportOptions::Format::SafeTensors;
    return info.dir().filePath(info.completeBaseName() + (safetensors ? kSafeTensorsSuffix : kTorchSuffix));
}

void ExportDialog::prepare()
{
    if (m_state == State::Running)
        return;
    m_path->setText(defaultOutputPath());
    m_waiting = m_session->isDiffPending() && m_session->diff().plan != m_session->plan();
    m_outdated = false;
    showPlan();
    m_progress->hide();
    m_result->clear();
    m_torchText->hide();
    m_state = State::Ready;
}

// Follows the session while the dialog is open (a rule edited, an undo, a file reloaded): the summary and
// verdict are those of the diff an export would write. A running export keeps its snapshot and the lines
// that describe it; they catch up when it ends, and its result line stays.
void ExportDialog::followSession(FollowReason reason, const QString& failure)
{
    if (reason == FollowReason::PlanChanged && !m_session->isDiffPending())
        return; // no diff comes for it (a side is not open): nothing an export would write has changed
    m_waiting = reason == FollowReason::PlanChanged;
    m_failedPlan = failure;
    if (m_state == State::Running) {
        m_outdated = true;
        return;
    }
    showPlan();
}

void ExportDialog::showPlan()
{
    const DiffSnapshot& snapshot = m_session->diff();
    const bool containerless = isContainerless(snapshot);
    m_container->setEnabled(!containerless && options().format == ExportOptions::Format::Torch);
    if (containerless)
        m_stateDictOnly->setChecked(true);
    if (m_waiting) {
        // The plan changed and its diff is on the way: say what it is, export once its verdict is known.
        m_plan->setText(planText(m_session->plan()));
        m_warning->setText(tr("Checking the changed plan against the target..."));
        m_warning->show();
        m_export->setEnabled(false);
        return;
    }

    QString plan = planText(snapshot.plan);
    const QString dict = snapshot.originalSourceDict.path.isEmpty() ? tr("<root>") : snapshot.originalSourceDict.path;
    if (snapshot.repaired) {
        plan += QLatin1Char(' ') + tr("%n tensor(s) from %1.", nullptr, int(snapshot.repaired->entries.size())).arg(dict);
    }
    m_plan->setText(plan);

    QString warning;
    if (!m_failedPlan.isEmpty())
        warning = tr("The changed plan does not apply (%1); the export writes the last plan that did.").arg(m_failedPlan);
    if (!snapshot.verdict)
        warning = tr("Open a source and a target first.");
    else if (!snapshot.verdict->loadable)
        warning = (warning.isEmpty() ? QString() : warning + QLatin1Char(' ')) +
                  tr("Not loadable yet: after the plan, %1.load_state_dict(strict=True) would still fail "
                     "(%2 missing, %3 unexpected, %4 size mismatch). The written file will fail the same way.")
                      .arg(snapshot.modelName)
                      .arg(snapshot.verdict->missing.size())
                      .arg(snapshot.verdict->unexpected.size())
                      .arg(snapshot.verdict->sizeMismatch.size());
    m_warning->setText(warning);
    m_warning->setVisible(!warning.isEmpty());
    m_export->setEnabled(bool(snapshot.verdict) && m_state != State::Running);
}

QString ExportDialog::planText(const RepairPlan& plan) const
{
    if (plan.rules.isEmpty())
        return tr("No repair rules: the state dict is written as the source has it.");
    QStringList rules;
    for (const RepairRule& rule : plan.rules)
        rules << ruleText(rule);
    return tr("Plan: %1.").arg(rules.join(QLatin1String("; "))) + QLatin1Char(' ') +
           (plan.isLossless() ? tr("Lossless: every value is copied bit for bit.")
                              : tr("Not lossless: casts, transposes or resizes change values."));
}

void ExportDialog::setOutputPath(const QString& path)
{
    m_path->setText(path);
}

QString ExportDialog::outputPath() const
{
    return m_path->text().trimmed();
}

void ExportDialog::setFormat(ExportOptions::Format format)
{
    m_format->setCurrentIndex(m_format->findData(int(format)));
}

void ExportDialog::setStateDictOnly(bool only)
{
    (only ? m_stateDictOnly : m_container)->setChecked(true);
}

ExportOptions ExportDialog::options() const
{
    ExportOptions o;
    o.format = static_cast<ExportOptions::Format>(m_format->currentData().toInt());
    o.stateDictOnly = m_stateDictOnly->isChecked();
    return o;
}

// The suffix follows the format as long as the name is still ours.
void ExportDialog::formatChanged()
{
    const bool safetensors = options().format == ExportOptions::Format::SafeTensors;
    m_container->setEnabled(!safetensors && !isContainerless(m_session->diff()));
    QString path = outputPath();
    const QLatin1String from = safetensors ? kTorchSuffix : kSafeTensorsSuffix;
    if (path.endsWith(from)) {
        path.chop(from.size());
        m_path->setText(path + (safetensors ? kSafeTensorsSuffix : kTorchSuffix));
    }
}

void ExportDialog::browse()
{
    const bool safetensors = options().format == ExportOptions::Format::SafeTensors;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Fixed Checkpoint"), outputPath(),
        safetensors ? tr("safetensors (*.safetensors);;All files (*)") : tr("PyTorch checkpoints (*.pt *.pth *.ckpt);;All files (*)"));
    if (!path.isEmpty())
        m_path->setText(path);
}

bool ExportDialog::startExport()
{
    if (m_state == State::Running)
        return false;
    const DiffSnapshot& snapshot = m_session->diff();
    if (!snapshot.verdict) {
        setState(State::Failed, tr("Open a source and a target first."));
        return false;
    }
    if (m_waiting) {
        setState(State::Failed, tr("The plan changed: export once its verdict is shown."));
        return false;
    }
    const QString out = outputPath();
    if (out.isEmpty()) {
        setState(State::Failed, tr("Choose where to write the fixed checkpoint."));
        return false;
    }
    if (!m_job->start(snapshot, QFileInfo(out).absoluteFilePath(), options())) {
        setState(State::Failed, tr("An export is already running."));
        return false;
    }
    m_progress->setValue(0);
    m_progress->setFormat(tr("starting..."));
    m_progress->show();
    setState(State::Running, tr("Writing %1...").arg(QFileInfo(out).fileName()));
    return true;
}

void ExportDialog::cancelExport()
{
    if (m_state == State::Running)
        m_job->cancel();
}

void ExportDialog::reject()
{
    // Closing while writing means "stop": the job ends on its own and leaves no file.
    cancelExport();
    QDialog::reject();
}

void ExportDialog::finished(const ExportOutcome& outcome)
{
    m_outcome = outcome;
    m_progress->setValue(1000);
    const ExportReport& r = outcome.report;
    QString text = tr("Wrote %1 (%n tensor(s), %2).", nullptr, r.tensorsWritten)
                       .arg(QFileInfo(r.path.isEmpty() ? outputPath() : r.path).fileName(), humanBytes(r.bytesWritten));
    if (!r.replacedGlobals.isEmpty())
        text += QLatin1Char(' ') + tr("Replaced by None (they would run code on load): %1.").arg(r.replacedGlobals.join(QLatin1String(", ")));
    if (outcome.loadable) {
        text += QLatin1Char(' ') + tr("%1.load_state_dict(strict=True) loads it.").arg(outcome.modelName);
        m_torchText->hide();
    } else {
        text += QLatin1Char(' ') + tr("%1.load_state_dict(strict=True) would fail:").arg(outcome.modelName);
        m_torchText->setPlainText(outcome.torchError);
        m_torchText->show();
    }
    setState(State::Succeeded, text);
}

void ExportDialog::setState(State state, const QString& message)
{
    m_state = state;
    const bool running = state == State::Running;
    m_export->setEnabled(!running);
    m_close->setText(running ? tr("Cancel") : tr("Close"));
    // The Close button doubles as Cancel while the job runs.
    disconnect(m_close, &QPushButton::clicked, nullptr, nullptr);
    if (running)
        connect(m_close, &QPushButton::clicked, this, &ExportDialog::cancelExport);
    else
        connect(m_close, &QPushButton::clicked, this, &ExportDialog::reject);
    static const QString good = QStringLiteral("QLabel { background: #e6f4ea; color: #1e5631; padding: 4px; }");
    static const QString bad = QStringLiteral("QLabel { background: #fde2e1; color: #7a1712; padding: 4px; }");
    const bool green = state == State::Succeeded && m_outcome.loadable;
    const bool red = state == State::Failed || (state == State::Succeeded && !m_outcome.loadable);
    m_result->setStyleSheet(green ? good : red ? bad : QString());
    if (state != State::Running && state != State::Succeeded)
        m_progress->hide();
    if (state != State::Succeeded)
        m_torchText->hide();
    m_result->setText(message);
    if (state != State::Running && std::exchange(m_outdated, false))
        showPlan(); // the session moved on while the export ran
    if (state != State::Running)
        Q_EMIT exportEnded(state);
}

QString ExportDialog::planSummary() const
{
    return m_plan->text();
}

QString ExportDialog::warningText() const
{
    return m_warning->isVisibleTo(this) ? m_warning->text() : QString();
}

QString ExportDialog::resultText() const
{
    return m_result->text();
}

QString ExportDialog::torchErrorText() const
{
    return m_torchText->isVisibleTo(this) ? m_torchText->toPlainText() : QString();
}

} // namespace statescope
