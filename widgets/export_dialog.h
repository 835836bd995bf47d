#pragma once

#include "export/export_options.h"
#include "session/export_job.h"

#include <QDialog>

class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;

namespace statescope {

class Session;

// File > Export Fixed Checkpoint: where and how to write the repaired source (torch or safetensors, whole
// container or state dict only), what the plan does and whether it keeps every value, then the export with
// byte progress and Cancel. Afterwards it shows what torch says when the target's model loads the written
// file: green when load_state_dict(strict=True) succeeds, else torch's text.
class ExportDialog : public QDialog
{
    Q_OBJECT
public:
    enum class State { Ready, Running, Succeeded, Failed, Cancelled };

    ExportDialog(Session* session, QWidget* parent = nullptr);

    // Fills the dialog from the session's current diff (default output path, plan summary, verdict). While
    // open it follows the session: a new diff (the plan edited, undone, a file reloaded) refreshes the
    // summary and verdict, and Export writes the newest diff; a running export and its result stay as they are.
    void prepare();
    QString defaultOutputPath() const;

    void setOutputPath(const QString& path);
    QString outputPath() const;
    void setFormat(ExportOptions::Format format);
    void setStateDictOnly(bool only);
    ExportOptions options() const;
    // Starts the export (as the Export button does); false when it cannot start (say why in resultText()).
    bool startExport();
    void cancelExport();

    State state() const { return m_state; }
    const ExportOutcome& outcome() const { return m_outcome; }
    QString planSummary() const;
    QString warningText() const;
    QString resultText() const;     // the one line under the progress bar
    QString torchErrorText() const; // torch's text when the written file would not load
    ExportJob* job() const { return m_job; }

Q_SIGNALS:
    void exportEnded(statescope::ExportDialog::State state);

protected:
    void reject() override;

private:
    enum class FollowReason { DiffReady, DiffFailed, PlanChanged };
    void followSession(FollowReason reason, const QString& failure = {});
    void showPlan(); // the summary and verdict lines from the session's diff
    QString planText(const RepairPlan& plan) const;
    void browse();
    void formatChanged();
    void setState(State state, const QString& message);
    void finished(const ExportOutcome& outcome);

    Session* m_session = nullptr;
    ExportJob* m_job = nullptr;
    State m_state = State::Ready;
    ExportOutcome m_outcome;
    bool m_waiting = false;  // the plan changed and its diff has not come yet
    bool m_outdated = false; // the session moved on while an export ran: refresh the lines when it ends
    QString m_failedPlan;    // why the latest plan did not apply, while it is the latest change
    QLineEdit* m_path = nullptr;
    QComboBox* m_format = nullptr;
    QRadioButton* m_container = nullptr;
    QRadioButton* m_stateDictOnly = nullptr;
    QLabel* m_plan = nullptr;
    QLabel* m_warning = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_result = nullptr;
    QPlainTextEdit* m_torchText = nullptr;
    QPushButton* m_export = nullptr;
    QPushButton* m_close = nullptr;
};

} // namespace statescope
