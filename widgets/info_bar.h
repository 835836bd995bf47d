#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace statescope {

// A strip above the trees that says something happened and offers what to do about it, without a modal
// dialog (Kate's and VS Code's "file changed on disk" bar): [Reload] [Always reload] [x].
class InfoBar : public QWidget
{
    Q_OBJECT
public:
    explicit InfoBar(QWidget* parent = nullptr);

    void showMessage(const QString& text);
    QString text() const;
    QPushButton* reloadButton() const { return m_reload; }
    QPushButton* alwaysReloadButton() const { return m_always; }

Q_SIGNALS:
    void reloadRequested();
    void alwaysReloadRequested();
    void dismissed();

private:
    QLabel* m_label = nullptr;
    QPushButton* m_reload = nullptr;
    QPushButton* m_always = nullptr;
};

} // namespace statescope
