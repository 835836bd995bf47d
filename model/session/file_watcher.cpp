#include "file_watcher.h"

#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QTimer>

#include <sys/stat.h>

namespace statescope {

FileWatcher::FileWatcher(QObject* parent) : QObject(parent)
{
    m_watcher = new QFileSystemWatcher(this);
    m_settle = new QTimer(this);
    m_settle->setSingleShot(true);
    m_settle->setInterval(500);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &FileWatcher::onEvent);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &FileWatcher::onEvent);
    connect(m_settle, &QTimer::timeout, this, &FileWatcher::check);
}

void FileWatcher::setSettleTime(int ms)
{
    m_settle->setInterval(ms);
}

FileWatcher::Signature FileWatcher::signatureOf(const QString& path)
{
    // Only metadata (a stat), never the content: the GUI thread does not read files.
    Signature s;
    struct stat st;
    const QByteArray local = QFile::encodeName(path);
    if (::stat(local.constData(), &st) != 0)
        return s;
    const QFileInfo info(path);
    s.exists = true;
    s.size = static_cast<qint64>(st.st_size);
    s.modified = info.lastModified();
    s.inode = static_cast<quint64>(st.st_ino);
    return s;
}

void FileWatcher::watch(const QString& path)
{
    if (path.isEmpty())
        return;
    m_seen.insert(path, signatureOf(path));
    m_candidate.remove(path);
    rearm(path);
}

void FileWatcher::rearm(const QString& path)
{
    if (QFileInfo::exists(path) && !m_watcher->files().contains(path))
        m_watcher->addPath(path);
    const QString dir = QFileInfo(path).absolutePath();
    if (!m_watcher->directories().contains(dir))
        m_watcher->addPath(dir);
}

void FileWatcher::unwatch(const QString& path)
{
    if (!m_seen.remove(path))
        return;
    m_candidate.remove(path);
    m_watcher->removePath(path);
    const QString dir = QFileInfo(path).absolutePath();
    bool dirStillNeeded = false;
    for (auto it = m_seen.cbegin(); it != m_seen.cend(); ++it)
        dirStillNeeded = dirStillNeeded || QFileInfo(it.key()).absolutePath() == dir;
    if (!dirStillNeeded)
        m_watcher->removePath(dir);
}

// A folder event fires for every file in it (and a writer fires many): just (re)start the settle timer.
void FileWatcher::onEvent()
{
    m_settle->start();
}

void FileWatcher::check()
{
    bool stillMoving = false;
    QStringList settled;
    for (auto it = m_seen.begin(); it != m_seen.end(); ++it) {
        const QString& path = it.key();
        const Signature now = signatureOf(path);
        rearm(path); // a rename over the file dropped its watch
        if (now == it.value() || !now.exists) {
            m_candidate.remove(path); // unchanged, or gone for now (a writer between unlink and rename)
            continue;
        }
        const auto last = m_candidate.constFind(path);
        if (last == m_candidate.cend() || *last != now) {
            m_candidate.insert(path, now); // look again once it had time to settle
            stillMoving = true;
            continue;
        }
        m_candidate.remove(path);
        it.value() = now; // reported once; watch() after a reload records the same again
        settled << path;
    }
    if (stillMoving)
        m_settle->start();
    // Emitted after the loop: a receiver may watch() or unwatch() at once.
    for (const QString& path : std::as_const(settled))
        Q_EMIT changed(path);
}

} // namespace statescope
