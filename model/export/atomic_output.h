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
    qint64 bytesWritten() const { return m_written; }
    const QString& error() const { return m_error; }
    const QString& tempPath() const { return m_tempPath; }

    // Throws FormatError when fsync or rename fails (the temp file is removed).
    void commit();

private:
    void discard();

    QString m_path;
    QString m_tempPath;
    int m_fd = -1;
    qint64 m_written = 0;
    QString m_error;
    bool m_committed = false;
};

} // namespace statescope
