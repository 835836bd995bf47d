#include "source_file.h"

#include "formats/format_error.h"
#include "formats/mapped_file.h"
#include "formats/zip_archive.h"

#include <QFile>

#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace statescope {

namespace {

quint64 littleEndian(QByteArrayView bytes, qsizetype at, int width)
{
    quint64 v = 0;
    for (int i = width - 1; i >= 0; --i)
        v = (v << 8) | quint8(bytes[at + i]);
    return v;
}

// The inode of the file mapped at `address`, from /proc/self/maps ("start-end perms offset dev inode path").
// The path may name another file by now (replaced by a rename); copying from it would then write other bytes
// under the CRC of the mapped ones. The inode is compared alone: the device numbers of the two views differ
// on btrfs and overlayfs, and two files alive at once (the mapping keeps the old one alive) never share an
// inode on one file system.
std::optional<quint64> mappedInode(const void* address)
{
    QFile maps(QStringLiteral("/proc/self/maps"));
    if (!maps.open(QIODevice::ReadOnly))
        return std::nullopt;
    const auto where = quintptr(address);
    // readAll, not atEnd/readLine: /proc files report size 0, and QFile takes that for the end.
    const QList<QByteArray> lines = maps.readAll().split('\n');
    for (const QByteArray& line : lines) {
        unsigned long long start = 0, end = 0, inode = 0;
        if (std::sscanf(line.constData(), "%llx-%llx %*s %*s %*s %llu", &start, &end, &inode) != 3)
            continue;
        if (where >= start && where < end)
            return inode;
    }
    return std::nullopt;
}

} // namespace

SourceFile::SourceFile(const MappedFile& file)
{
    if (file.size() <= 0)
        return;
    const int fd = ::open(QFile::encodeName(file.path()).constData(), O_RDONLY | O_CLOEXEC);
    struct stat st{};
    const std::optional<quint64> inode = mappedInode(file.bytes().data());
    if (fd >= 0 && ::fstat(fd, &st) == 0 && inode && quint64(st.st_ino) == *inode && st.st_size == file.size())
        m_fd = fd;
    else if (fd >= 0)
        ::close(fd);
    readCrcs(file);
}

SourceFile::~SourceFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

std::optional<quint32> SourceFile::recordCrc(qint64 offset, qint64 size) const
{
    const auto it = m_records.constFind(offset);
    if (it == m_records.constEnd() || it->size != size)
        return std::nullopt;
    return it->crc;
}

void SourceFile::readCrcs(const MappedFile& file)
{
    const QByteArrayView bytes = file.bytes();
    constexpr qsizetype kEnd = 22;
    if (bytes.size() < kEnd || !bytes.startsWith(QByteArrayView("PK\x03\x04", 4)))
        return;
    const ZipArchive* zip = nullptr;
    try {
        zip = &file.zipDirectory(); // already read when the checkpoint was opened
    } catch (const FormatError&) {
        return;
    }
    // The directory's place, as ZipArchive found it (end record, ZIP64 locator and record).
    qsizetype end = -1;
    for (qsizetype pos = bytes.size() - kEnd; pos >= std::max<qsizetype>(0, bytes.size() - kEnd - 0xffff); --pos) {
        if (bytes.sliced(pos, 4) == QByteArrayView("PK\x05\x06", 4)) {
            end = pos;
            break;
        }
    }
    if (end < 0)
        return;
    quint64 count = littleEndian(bytes, end + 10, 2);
    quint64 at = littleEndian(bytes, end + 16, 4);
    if (end >= 20 && bytes.sliced(end - 20, 4) == QByteArrayView("PK\x06\x07", 4)) {
        const quint64 record = littleEndian(bytes, end - 20 + 8, 8);
        if (record + 56 > quint64(end) || bytes.sliced(qsizetype(record), 4) != QByteArrayView("PK\x06\x06", 4))
            return;
        count = littleEndian(bytes, qsizetype(record) + 32, 8);
        at = littleEndian(bytes, qsizetype(record) + 48, 8);
    }
    const QVector<ZipEntry>& entries = zip->entries();
    if (count != quint64(entries.size()))
        return;
    QHash<qint64, Record> records;
    records.reserve(entries.size());
    for (const ZipEntry& entry : entries) {
        if (at + 46 > quint64(end) || bytes.sliced(qsizetype(at), 4) != QByteArrayView("PK\x01\x02", 4))
            return;
        const auto p = qsizetype(at);
        const auto nameLength = qsizetype(littleEndian(bytes, p + 28, 2));
        const quint64 next = at + 46 + nameLength + littleEndian(bytes, p + 30, 2) + littleEndian(bytes, p + 32, 2);
        // Entries pair with directory records by position; a name that differs means the two readings disagree
        // (a prefixed archive, say): no CRC is trusted then.
        if (next > quint64(end) || QString::fromUtf8(bytes.sliced(p + 46, nameLength)) != entry.name)
            return;
        if (entry.stored)
            records.insert(entry.dataOffset, {entry.size, quint32(littleEndian(bytes, p + 16, 4))});
        at = next;
    }
    m_records = std::move(records);
}

} // namespace statescope
