#pragma once

#include "session/session.h"

#include <QMainWindow>

class QApplication;
class QCheckBox;
class QItemSelectionModel;
class QLineEdit;

namespace statescope {

class CheckpointPane;
class LoadReportView;
class OverviewStrip;
class FileController;
class DiffFilterModel;
class DiffTreeModel;
class DetailsPanel;
class JobProgress;
class ValueJobs;
class InspectorTools;
class RepairController;

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
    DiffTreeModel* diffModel() const { return m_diffModel; }
    DiffFilterModel* filterModel() const { return m_filter; }
    QLineEdit* filterEdit() const { return m_filterEdit; }
    QCheckBox* onlyDifferences() const { return m_onlyDifferences; }
    OverviewStrip* overview() const { return m_overview; }
    FileController* files() const { return m_files; } // recent, reload, swap, drops, watching, settings
    QItemSelectionModel* selection() const { return m_selection; }
    LoadReportView* loadReport() const { return m_report; }
    DetailsPanel* details() const { return m_details; }   // main_window_details.cpp
    ValueJobs* valueJobs() const { return m_valueJobs; }
    JobProgress* jobProgress() const { return m_jobProgress; }
    // Export dialog, container browser, unsafe banner, pasted torch errors (inspector_tools.h).
    InspectorTools* tools() const { return m_tools; }
    RepairController* repair() const { return m_repair; } // drag-and-drop repair, rules, undo (repair_controller.h)
    QAction* compareValuesAction() const { return m_compareValues; }
    // Moves the shared selection to the next/previous/first/last difference and scrolls both sides to it.
    void goToDifference(bool forward, bool fromEnd = false);
    // Selects a key (or module path) on both sides and scrolls to it (`--select KEY`, IDE integration).
    void selectKey(const QString& key);

private:
    void chooseFile(Side side);
    void updateTitle();
    void showDiff();
    bool expandDifferences(); // false when a row budget left some differences collapsed
    void syncViews();
    void createNavigation();
    void installDetails(); // the details dock, value comparison and its progress (main_window_details.cpp)

    Session* m_session = nullptr;
    CheckpointPane* m_source = nullptr;
    CheckpointPane* m_target = nullptr;
    DiffTreeModel* m_diffModel = nullptr;
    DiffFilterModel* m_filter = nullptr; // both views show the diff through it
    QLineEdit* m_filterEdit = nullptr;
    QCheckBox* m_onlyDifferences = nullptr;
    OverviewStrip* m_overview = nullptr;
    QItemSelectionModel* m_selection = nullptr;
    LoadReportView* m_report = nullptr;
    FileController* m_files = nullptr;
    DetailsPanel* m_details = nullptr;
    ValueJobs* m_valueJobs = nullptr;
    JobProgress* m_jobProgress = nullptr;
    QAction* m_compareValues = nullptr;
    InspectorTools* m_tools = nullptr;
    RepairController* m_repair = nullptr;
};

// Parses the GUI command line (SOURCE [TARGET] [--demo]) and runs the window's event loop.
int runMainWindow(QApplication& app);

} // namespace statescope
