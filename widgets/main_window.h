#pragma once

#include "session/session.h"

#include <QMainWindow>

class QApplication;

namespace statescope {

class CheckpointPane;

// The desktop inspector: the checkpoint being loaded (source) beside what the model expects (target).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    void openFile(Side side, const QString& path);
    void openDemo();
    Session* session() const { return m_session; }
    CheckpointPane* pane(Side side) const { return side == Side::Source ? m_source : m_target; }

private:
    void chooseFile(Side side);
    void updateTitle();

    Session* m_session = nullptr;
    CheckpointPane* m_source = nullptr;
    CheckpointPane* m_target = nullptr;
};

// Parses the GUI command line (SOURCE [TARGET] [--demo]) and runs the window's event loop.
int runMainWindow(QApplication& app);

} // namespace statescope
