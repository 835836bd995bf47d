#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QVector>

namespace statescope {

class MappedFile;

struct ZipEntry
{
    QString name;              // full name inside the archive ("archive/data/0")
    qint64 dataOffset = 0;     // absolute file offset of the entry's (possibly compressed) data
    qint64 compressedSize = 0;
    qint64 size = 0;
    bool stored = true;        // false when DEFLATE-compressed
};

// The central directory of a zip file, read from the mapped bytes. Entry data is not read: stored entries
// are reached by (dataOffset, size) in the mapping; compressed ones through read(). Archives laid out as
// torch writes them (one disk, nothing before the first record) are parsed directly, which is ~20x faster
// than minizip's per-entry callbacks on 100k-record checkpoints; anything else goes through minizip.
class ZipArchive
{
public:
    // Throws FormatError naming the file when it is not a readable zip or an entry lies outside it.
    explicit ZipArchive(const MappedFile& file);

    const QVector<ZipEntry>& entries() const { return m_entries; }
    const ZipEntry* find(const QString& name) const;
    // The whole entry, decompressed when needed. `limit` bounds what a lying size field can make us allocate.
    QByteArray read(const ZipEntry& entry, qint64 limit) const;

private:
    bool readTorchLayout(qsizetype endRecord);
    void readWithMinizip();
    void addEntry(ZipEntry entry);

    const MappedFile& m_file;
    QVector<ZipEntry> m_entries;
    QHash<QString, int> m_index;
};

} // namespace statescope
