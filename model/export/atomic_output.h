#pragma once

#include <QString>

namespace statescope {

// A file that appears under its final name only when complete: bytes go to a temp file in the same folder,
// commit() fsyncs it, renames it over the destination and fsyncs the folder. Anything short of commit() (an
// error, an exception unwinding past it) removes the temp file, so a failed export leaves nothing behind.
class AtomicOutput
{
public:
    // Throws FormatError naming `path` when the temp file cannot be created (missing or unwritable folder).
    explicit AtomicOutput(const QString& path);
    ~AtomicOutput();
    AtomicOutput(const AtomicOutput&) = delete;
    AtomicOutput& operator=(const AtomicOutput&) = delete;

    // Appends bytes; false (and error() says why) on a short write, e.g. a full disk or a file size limit.
    // With fileMapped, the bytes lie in a read-only shared file mapping and the written pages are released
    // behind the writer (madvise MADV_DONTNEED), so copying a big checkpoint does not grow the resident set.
    bool write(const void* data, qint64 size, bool fileMapped = false);
    // Appends `size` bytes of file `fd` from `offset` without them passing through user space
    // (copy_file_range). Returns the bytes copied: `size`, or fewer when the kernel cannot copy between these
    // two files (the caller writes the rest itself); -1 on failure (error() says why).
    qint64 copyFrom(int fd, qint64 offset, qint64 size);
    qint64 bytesWritten() const { return m_written; }
    const QString& error() const { return m_error; }
    const QString& tempPath() const { return m_tempPath; }

    // Throws FormatError when fsync or rename fails (the temp file is removed).
    void commit();

private:
    void discard();
    bool failed(qint64 done, const QString& why);
    void startWriteback();

    QString m_path;
    QString m_tempPath;
    int m_fd = -1;
    qint64 m_written = 0;
    qint64 m_writebackStarted = 0; // bytes handed to the disk early (sync_file_range), so commit's fsync waits less
    QString m_error;
    bool m_committed = false;
};

} // namespace statescope
