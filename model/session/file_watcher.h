#pragma once

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QString>

class QFileSystemWatcher;
class QTimer;

namespace statescope {

// Tells when an open checkpoint was rewritten on disk, once the writer is done. Training loops usually
// write a temporary file and rename it over the checkpoint, which replaces the inode and silently drops a
// watch on the file itself, so the folder is watched too. Events are debounced and a change is reported
// only once the file exists and its size and modification time held still between two checks.
class FileWatcher : public QObject
{
    Q_OBJECT
public:
    explicit FileWatcher(QObject* parent = nullptr);

    // Starts (or restarts, after a reload) watching `path`; what is on disk now is the "seen" state.
    void watch(const QString& path);
    void unwatch(const QString& path);
    QStringList watched() const { return m_seen.keys(); }
    // How long the file must hold still before changed() (ms; the default suits checkpoint writers).
    void setSettleTime(int ms);

Q_SIGNALS:
    void changed(const QString& path);

private:
    struct Signature
    {
        bool exists = false;
        qint64 size = -1;
        QDateTime modified;
        quint64 inode = 0; // a rename over the file changes it even when size and time match
        bool operator==(const Signature& o) const
        {
            return exists == o.exists && size == o.size && modified == o.modified && inode == o.inode;
        }
        bool operator!=(const Signature& o) const { return !(*this == o); }
    };
    static Signature signatureOf(const QString& path);
    void onEvent();
    void check();
    void rearm(const QString& path);

    QFileSystemWatcher* m_watcher = nullptr;
    QTimer* m_settle = nullptr;
    QHash<QString, Signature> m_seen;      // what the open snapshot was read from
    QHash<QString, Signature> m_candidate; // last look at a changing file, to see whether it held still
};

} // namespace statescope
