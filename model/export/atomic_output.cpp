#include "atomic_output.h"

#include "formats/format_error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace statescope {

namespace {

// Bytes per write(2): small enough that pages can be released behind it as it goes.
constexpr qint64 kChunk = qint64(8) << 20;
// Bytes per copy_file_range call (the kernel caps one call near 2 GiB anyway) and between writeback starts.
constexpr qint64 kCopyChunk = qint64(64) << 20;
constexpr qint64 kWritebackWindow = qint64(64) << 20;

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

void releasePages(const void* begin, qint64 size)
{
    static const quintptr page = quintptr(sysconf(_SC_PAGESIZE));
    const quintptr first = (quintptr(begin) + page - 1) & ~(page - 1);
    const quintptr last = (quintptr(begin) + quintptr(size)) & ~(page - 1);
    if (last > first)
        madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

} // namespace

AtomicOutput::AtomicOutput(const QString& path) : m_path(path)
{
    const QFileInfo info(path);
    QByteArray pattern = QFile::encodeName(info.absolutePath() + QLatin1String("/.") + info.fileName() +
                                           QLatin1String(".statescope-XXXXXX"));
    m_fd = mkstemp(pattern.data());
    if (m_fd < 0)
        throw FormatError(path + QLatin1String(": cannot create a temporary file in ") + info.absolutePath() +
                          QLatin1String(": ") + errnoText());
    m_tempPath = QFile::decodeName(pattern);
    // mkstemp makes 0600; the output gets the permissions a new file of the user would have.
    const mode_t mask = umask(0);
    umask(mask);
    fchmod(m_fd, 0666 & ~mask);
}

AtomicOutput::~AtomicOutput()
{
    if (!m_committed)
        discard();
}

void AtomicOutput::discard()
{
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    if (!m_tempPath.isEmpty())
        ::unlink(QFile::encodeName(m_tempPath).constData());
}

bool AtomicOutput::write(const void* data, qint64 size, bool fileMapped)
{
    if (!m_error.isEmpty())
        return false;
    const char* p = static_cast<const char*>(data);
    qint64 done = 0;
    while (done < size) {
        const qint64 step = std::min(kChunk, size - done);
        const ssize_t n = ::write(m_fd, p + done, size_t(step));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return failed(done, n < 0 ? errnoText() : QStringLiteral("no progress"));
        if (fileMapped)
            releasePages(p + done, n);
        done += n;
    }
    m_written += size;
    startWriteback();
    return true;
}

bool AtomicOutput::failed(qint64 done, const QString& why)
{
    // A file size limit gives EFBIG (when SIGXFSZ is ignored), a full disk ENOSPC.
    m_error = m_path + QLatin1String(": writing failed after ") + QString::number(m_written + done) +
              QLatin1String(" bytes: ") + why;
    return false;
}

qint64 AtomicOutput::copyFrom(int fd, qint64 offset, qint64 size)
{
    if (!m_error.isEmpty())
        return -1;
    qint64 done = 0;
    while (done < size) {
        loff_t from = offset + done;
        const ssize_t n = ::copy_file_range(fd, &from, m_fd, nullptr, size_t(std::min(kCopyChunk, size - done)), 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP || errno == EINVAL))
            break; // no in-kernel copy between these files: the caller writes the rest
        if (n <= 0) {
            failed(0, n < 0 ? errnoText() : QStringLiteral("the source file ended early")); // m_written counts `done`
            return -1;
        }
        done += n;
        m_written += n;
        startWriteback();
    }
    return done;
}

void AtomicOutput::startWriteback()
{
    // Without this the page cache would hold the whole output dirty until commit's fsync, which then writes
    // all of it while nothing else happens; started early, the disk works while we copy.
    if (m_written - m_writebackStarted < kWritebackWindow)
        return;
    ::sync_file_range(m_fd, m_writebackStarted, m_written - m_writebackStarted, SYNC_FILE_RANGE_WRITE);
    m_writebackStarted = m_written;
}

void AtomicOutput::commit()
{
    if (!m_error.isEmpty())
        throw FormatError(m_error);
    if (::fsync(m_fd) != 0 || ::close(m_fd) != 0) {
        m_fd = -1;
        throw FormatError(m_path + QLatin1String(": cannot flush the output: ") + errnoText());
    }
    m_fd = -1;
    if (::rename(QFile::encodeName(m_tempPath).constData(), QFile::encodeName(m_path).constData()) != 0)
        throw FormatError(m_path + QLatin1String(": cannot rename the finished output into place: ") + errnoText());
    m_committed = true;
    // The rename itself is durable only once the folder is synced.
    const int dir = ::open(QFile::encodeName(QFileInfo(m_path).absolutePath()).constData(), O_RDONLY | O_DIRECTORY);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

} // namespace statescope
