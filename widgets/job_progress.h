#pragma once

#include <QWidget>

#include <functional>

class QProgressBar;
class QToolButton;

namespace statescope {

// A long job in the status bar: "Comparing values: 1.2 GiB of 4.4 GiB", a bar and a Cancel button. Any job
// that counts bytes can use it; it is hidden while no job runs.
class JobProgress : public QWidget
{
    Q_OBJECT
public:
    explicit JobProgress(QWidget* parent = nullptr);

    // Shows the widget for a new job; `cancel` runs when the user presses Cancel (may be empty: no button).
    void start(const QString& title, std::function<void()> cancel);
    void setProgress(qint64 done, qint64 total);
    // Hides the widget (the job ended, failed or was cancelled).
    void finish();

    bool isRunning() const { return m_running; }
    QProgressBar* bar() const { return m_bar; }
    QToolButton* cancelButton() const { return m_cancelButton; }

private:
    QProgressBar* m_bar = nullptr;
    QToolButton* m_cancelButton = nullptr;
    QString m_title;
    std::function<void()> m_cancel;
    bool m_running = false;
};

} // namespace statescope
