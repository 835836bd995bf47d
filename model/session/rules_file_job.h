#pragma once

#include "repair/repair_plan.h"

#include <QObject>
#include <QString>

namespace statescope {

class Session;

// Reads and writes rules files on the session's worker thread, so a slow or hung file system (a network
// share) never freezes the window.
class RulesFileWorker : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

public Q_SLOTS:
    void save(quint64 job, const statescope::RepairPlan& plan, const QString& path);
    void load(quint64 job, const QString& path);

Q_SIGNALS:
    void saved(quint64 job, const QString& path, int ruleCount);
    void loaded(quint64 job, const statescope::RepairPlan& plan, const QString& path);
    void failed(quint64 job, const QString& message);
};

// The GUI's handle. Saves and loads are numbered; the result of a save or load that a newer one of the same
// kind superseded is dropped (two loads in a row apply only the second file's plan).
class RulesFileJobs : public QObject
{
    Q_OBJECT
public:
    explicit RulesFileJobs(Session* session, QObject* parent = nullptr);

    // Writes `plan` atomically (QSaveFile, see writeRepairPlan): a failed save leaves the old file whole.
    void save(const RepairPlan& plan, const QString& path);
    void load(const QString& path);
    bool isRunning() const { return m_save != 0 || m_load != 0; }

Q_SIGNALS:
    void saved(const QString& path, int ruleCount);
    void loaded(const statescope::RepairPlan& plan, const QString& path);
    void failed(const QString& message);

private:
    // The job id for a new request, or 0 when the session (and its thread) is gone.
    quint64 start(quint64* current);
    // Whether `job` is the current save or load; clears it when so.
    bool finish(quint64 job);

    RulesFileWorker* m_worker = nullptr; // lives on the session's thread, deleted when it finishes
    quint64 m_nextJob = 1;
    quint64 m_save = 0;
    quint64 m_load = 0;
};

} // namespace statescope
