#pragma once

#include <QHash>

#include <optional>

namespace statescope {

class MappedFile;

// What the torch writer needs to copy an input file's bytes without reading them: a descriptor of the same
// file for copy_file_range and, when the file is a zip, the CRC-32 of each stored record from its central
// directory (a record copied unchanged keeps its CRC, so the bytes need not be hashed again).
class SourceFile
{
public:
    // Never throws: what cannot be had (not a zip, a damaged directory, a path that now names another file)
    // is simply missing, and the writer reads the bytes through the mapping instead.
    explicit SourceFile(const MappedFile& file);
    ~SourceFile();
    SourceFile(const SourceFile&) = delete;
    SourceFile& operator=(const SourceFile&) = delete;

    // -1 when the mapped file cannot be opened again by its path as the same file.
    int fd() const { return m_fd; }
    // The CRC-32 when [offset, offset + size) is exactly the data of one stored record.
    std::optional<quint32> recordCrc(qint64 offset, qint64 size) const;

private:
    void readCrcs(const MappedFile& file);

    struct Record
    {
        qint64 size = 0;
        quint32 crc = 0;
    };
    int m_fd = -1;
    QHash<qint64, Record> m_records; // by data offset
};

} // namespace statescope
