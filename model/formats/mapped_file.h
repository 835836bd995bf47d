#pragma once

#include <QByteArrayView>
#include <QFile>
#include <QString>

#include <memory>

namespace statescope {

class ZipArchive;

// A file opened read-only and mapped whole. Tensor bytes are reached through the mapping by offset, so
// opening a checkpoint touches only the pages the reader actually looks at (the pickle, the zip directory).
class MappedFile
{
public:
    // Throws FormatError when the file cannot be opened or mapped.
    explicit MappedFile(const QString& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const QString& path() const { return m_path; }
    qint64 size() const { return m_size; }
    QByteArrayView bytes() const { return {reinterpret_cast<const char*>(m_data), static_cast<qsizetype>(m_size)}; }
    // Bytes [offset, offset + length) or a FormatError naming `what` when the range leaves the file.
    QByteArrayView slice(qint64 offset, qint64 length, const QString& what) const;
    // The file's zip central directory, read on first use and kept: sniffing (is it TorchScript?) and the
    // reader both need it, and reading it twice doubled the open time of 100k-record archives.
    const ZipArchive& zipDirectory() const;

private:
    QString m_path;
    QFile m_file;
    const uchar* m_data = nullptr;
    qint64 m_size = 0;
    mutable std::unique_ptr<ZipArchive> m_zip;
};

} // namespace statescope
