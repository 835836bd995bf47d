#pragma once

// The accessors the window suites share: a MainWindow owned by the test, its session and repair controller,
// a key's row as the trees show it, its status, and waiting for the diff a change starts.

#include "checkpoint_pane.h"
#include "main_window.h"
#include "repair_controller.h"
#include "session/diff_filter_model.h"
#include "session/diff_tree_model.h"

#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

#include <functional>
#include <memory>

namespace statescope::test {

class WindowTest : public QObject
{
protected:
    std::unique_ptr<MainWindow> m_window;

    Session* session() const { return m_window->session(); }
    RepairController* repair() const { return m_window->repair(); }
    QTreeView* view(Side side) const { return m_window->pane(side)->view(); }

    // The row of `key` in the model the trees show (the filter proxy).
    QModelIndex row(const QString& key) const
    {
        return m_window->filterModel()->mapFromSource(m_window->diffModel()->indexOfKey(key));
    }
    RowStatus status(const QString& key) const
    {
        return static_cast<RowStatus>(m_window->diffModel()->indexOfKey(key).data(DiffTreeModel::StatusRole).toInt());
    }

    // Waits for the diff that `change` starts; false when it failed (the message in *failure) or never came.
    bool waitForDiff(const std::function<void()>& change, QString* failure = nullptr)
    {
        QSignalSpy ready(session(), &Session::diffReady);
        QSignalSpy failed(session(), &Session::diffFailed);
        change();
        if (!QTest::qWaitFor([&] { return (ready.count() + failed.count()) > 0 && !session()->isBusy(); }, 20000))
            return false;
        if (failure && failed.count() > 0)
            *failure = failed.first().first().toString();
        return failed.isEmpty();
    }
};

} // namespace statescope::test
