#include "zip_archive.h"

#include "format_error.h"
#include "mapped_file.h"

#include <unzip.h>

#include <cstring>
#include <limits>
#include <memory>

namespace statescope {

namespace {

// minizip reads through these callbacks straight from the mapping: no second file handle, no copies of
// tensor data, and a hostile central directory can only point at bytes we already have.
struct MemoryStream
{
    const char* data;
    quint64 size;
    quint64 pos = 0;
};

voidpf ZCALLBACK memOpen(voidpf opaque, const void*, int) { return opaque; }

uLong ZCALLBACK memRead(voidpf, voidpf stream, void* buf, uLong size)
{
    auto* s = static_cast<MemoryStream*>(stream);
    const quint64 n = std::min<quint64>(size, s->pos < s->size ? s->size - s->pos : 0);
    std::memcpy(buf, s->data + s->pos, n);
    s->pos += n;
    return static_cast<uLong>(n);
}

uLong ZCALLBACK memWrite(voidpf, voidpf, const void*, uLong) { return 0; }

ZPOS64_T ZCALLBACK memTell(voidpf, voidpf stream) { return static_cast<MemoryStream*>(stream)->pos; }

long ZCALLBACK memSeek(voidpf, voidpf stream, ZPOS64_T offset, int origin)
{
    auto* s = static_cast<MemoryStream*>(stream);
    quint64 base = 0;
    switch (origin) {
    case ZLIB_FILEFUNC_SEEK_CUR: base = s->pos; break;
    case ZLIB_FILEFUNC_SEEK_END: base = s->size; break;
    default: break;
    }
    if (offset > s->size || base > s->size - offset)
        return -1;
    s->pos = base + offset;
    return 0;
}

int ZCALLBACK memClose(voidpf, voidpf) { return 0; }
int ZCALLBACK memError(voidpf, voidpf) { return 0; }

struct UnzCloser
{
    void operator()(void* f) const { unzClose(f); }
};

quint64 littleEndian(QByteArrayView bytes, qsizetype at, int width)
{
    quint64 v = 0;
    for (int i = width - 1; i >= 0; --i)
        v = (v << 8) | static_cast<quint8>(bytes[at + i]);
    return v;
}

// Where an entry's data starts, from its central directory record (at `record`) and its local header, both
// read from the mapping. minizip's own way (unzOpenCurrentFile) allocates and initialises a decompression
// state per entry, which dominated opening a 100k-tensor checkpoint. Returns -1 for layouts it does not
// recognise, so the caller can fall back to minizip.
qint64 dataOffsetFromHeaders(const MappedFile& file, qint64 record)
{
    const QByteArrayView bytes = file.bytes();
    constexpr qsizetype kCentral = 46;
    constexpr qsizetype kLocal = 30;
    if (record < 0 || record > bytes.size() - kCentral || bytes.sliced(record, 4) != QByteArrayView("PK\x01\x02", 4))
        return -1;
    const auto nameLength = static_cast<qsizetype>(littleEndian(bytes, record + 28, 2));
    const auto extraLength = static_cast<qsizetype>(littleEndian(bytes, record + 30, 2));
    if (record + kCentral + nameLength + extraLength > bytes.size())
        return -1;
    quint64 localHeader = littleEndian(bytes, record + 42, 4);
    if (localHeader == 0xffffffffu) {
        // ZIP64: the real offset sits in extra field 0x0001 after the sizes that overflowed.
        int skip = 0;
        if (littleEndian(bytes, record + 24, 4) == 0xffffffffu)
            skip += 8;
        if (littleEndian(bytes, record + 20, 4) == 0xffffffffu)
            skip += 8;
        qsizetype at = record + kCentral + nameLength;
        const qsizetype end = at + extraLength;
        localHeader = ~quint64(0);
        while (at + 4 <= end) {
            const auto id = littleEndian(bytes, at, 2);
            const auto size = static_cast<qsizetype>(littleEndian(bytes, at + 2, 2));
            if (at + 4 + size > end)
                return -1;
            if (id == 0x0001 && skip + 8 <= size)
                localHeader = littleEndian(bytes, at + 4 + skip, 8);
            at += 4 + size;
        }
    }
    if (localHeader > static_cast<quint64>(bytes.size() - kLocal))
        return -1;
    const auto local = static_cast<qsizetype>(localHeader);
    if (bytes.sliced(local, 4) != QByteArrayView("PK\x03\x04", 4))
        return -1;
    return local + kLocal + static_cast<qint64>(littleEndian(bytes, local + 26, 2)) +
           static_cast<qint64>(littleEndian(bytes, local + 28, 2));
}

// minizip tolerates an end-of-directory record cut short when a ZIP64 locator precedes it; torch does not,
// and a file that lost its last bytes was damaged in transit: say so instead of reading on.
qsizetype checkEndRecord(const MappedFile& file)
{
    const QByteArrayView bytes = file.bytes();
    constexpr qsizetype kRecord = 22;
    const qsizetype searchFrom = std::max<qsizetype>(0, bytes.size() - kRecord - 0xffff);
    for (qsizetype pos = bytes.size() - 4; pos >= searchFrom; --pos) {
        if (bytes.sliced(pos, 4) != QByteArrayView("PK\x05\x06", 4))
            continue;
        if (pos + kRecord > bytes.size())
            break;
        const auto commentLength = static_cast<qsizetype>(static_cast<quint8>(bytes[pos + 20]) |
                                                          (static_cast<quint8>(bytes[pos + 21]) << 8));
        if (pos + kRecord + commentLength == bytes.size())
            return pos;
        break;
    }
    throw FormatError(file.path() + QLatin1String(": truncated zip archive (its end-of-directory record is missing or cut short)"));
}

} // namespace

ZipArchive::ZipArchive(const MappedFile& file) : m_file(file)
{
    const qsizetype endRecord = checkEndRecord(file);
    if (!readTorchLayout(endRecord)) {
        m_entries.clear();
        m_index.clear();
        readWithMinizip();
    }
}

void ZipArchive::addEntry(ZipEntry entry)
{
    const QString& path = m_file.path();
    const qint64 fileSize = m_file.size();
    if (entry.compressedSize < 0 || entry.dataOffset < 0 || entry.dataOffset > fileSize ||
        entry.compressedSize > fileSize - entry.dataOffset)
        throw FormatError(path + QLatin1String(": record ") + entry.name + QLatin1String(" is truncated (needs ") +
                          QString::number(entry.compressedSize) + QLatin1String(" bytes at offset ") +
                          QString::number(entry.dataOffset) + QLatin1String(", file has ") + QString::number(fileSize) +
                          QLatin1Char(')'));
    if (entry.stored && entry.size != entry.compressedSize)
        throw FormatError(path + QLatin1String(": stored record ") + entry.name + QLatin1String(" has inconsistent sizes"));
    m_index.insert(entry.name, m_entries.size());
    m_entries.push_back(std::move(entry));
}

bool ZipArchive::readTorchLayout(qsizetype endRecord)
{
    const QByteArrayView bytes = m_file.bytes();
    const QString& path = m_file.path();
    quint64 count = littleEndian(bytes, endRecord + 10, 2);
    quint64 directorySize = littleEndian(bytes, endRecord + 12, 4);
    quint64 directoryOffset = littleEndian(bytes, endRecord + 16, 4);
    qsizetype directoryEnd = endRecord;
    const qsizetype locator = endRecord - 20;
    if (locator >= 0 && bytes.sliced(locator, 4) == QByteArrayView("PK\x06\x07", 4)) {
        const quint64 record = littleEndian(bytes, locator + 8, 8);
        if (record > static_cast<quint64>(locator) || locator - static_cast<qsizetype>(record) < 56 ||
            bytes.sliced(static_cast<qsizetype>(record), 4) != QByteArrayView("PK\x06\x06", 4))
            return false;
        const auto at = static_cast<qsizetype>(record);
        count = littleEndian(bytes, at + 32, 8);
        directorySize = littleEndian(bytes, at + 40, 8);
        directoryOffset = littleEndian(bytes, at + 48, 8);
        directoryEnd = at;
    }
    // torch's archives start at byte 0 and the directory ends where the end records begin; otherwise
    // (prefixed or multi-disk files) leave it to minizip.
    if (directoryOffset > static_cast<quint64>(directoryEnd) || directoryEnd - static_cast<qsizetype>(directoryOffset) !=
                                                                    static_cast<qsizetype>(directorySize))
        return false;
    // Each central directory record takes at least 46 bytes: a count beyond that is a lie.
    if (count > directorySize / 46)
        throw FormatError(path + QLatin1String(": zip directory claims ") + QString::number(count) +
                          QLatin1String(" entries, more than the file can hold"));
    m_entries.reserve(static_cast<qsizetype>(count));
    auto at = static_cast<qsizetype>(directoryOffset);
    for (quint64 i = 0; i < count; ++i) {
        if (at + 46 > directoryEnd || bytes.sliced(at, 4) != QByteArrayView("PK\x01\x02", 4))
            throw FormatError(path + QLatin1String(": zip directory entry ") + QString::number(i) +
                              QLatin1String(" is damaged"));
        const auto method = littleEndian(bytes, at + 10, 2);
        quint64 compressed = littleEndian(bytes, at + 20, 4);
        quint64 size = littleEndian(bytes, at + 24, 4);
        const auto nameLength = static_cast<qsizetype>(littleEndian(bytes, at + 28, 2));
        const auto extraLength = static_cast<qsizetype>(littleEndian(bytes, at + 30, 2));
        const auto commentLength = static_cast<qsizetype>(littleEndian(bytes, at + 32, 2));
        const qsizetype next = at + 46 + nameLength + extraLength + commentLength;
        if (next > directoryEnd)
            throw FormatError(path + QLatin1String(": zip directory entry ") + QString::number(i) +
                              QLatin1String(" runs past the directory"));
        ZipEntry entry;
        entry.name = QString::fromUtf8(bytes.sliced(at + 46, nameLength));
        if (method != 0 && method != Z_DEFLATED)
            throw FormatError(path + QLatin1String(": ") + entry.name +
                              QLatin1String(" uses unsupported zip compression method ") + QString::number(method));
        entry.stored = method == 0;
        if (size == 0xffffffffu || compressed == 0xffffffffu) {
            // ZIP64 extra field 0x0001 holds the sizes that overflowed, in this order.
            qsizetype extra = at + 46 + nameLength;
            const qsizetype extraEnd = extra + extraLength;
            while (extra + 4 <= extraEnd) {
                const auto id = littleEndian(bytes, extra, 2);
                const auto length = static_cast<qsizetype>(littleEndian(bytes, extra + 2, 2));
                if (extra + 4 + length > extraEnd)
                    break;
                if (id == 0x0001) {
                    qsizetype field = extra + 4;
                    if (size == 0xffffffffu && field + 8 <= extra + 4 + length) {
                        size = littleEndian(bytes, field, 8);
                        field += 8;
                    }
                    if (compressed == 0xffffffffu && field + 8 <= extra + 4 + length)
                        compressed = littleEndian(bytes, field, 8);
                }
                extra += 4 + length;
            }
        }
        if (size > static_cast<quint64>(std::numeric_limits<qint64>::max()) ||
            compressed > static_cast<quint64>(std::numeric_limits<qint64>::max()))
            throw FormatError(path + QLatin1String(": ") + entry.name + QLatin1String(": impossible record size"));
        entry.size = static_cast<qint64>(size);
        entry.compressedSize = static_cast<qint64>(compressed);
        entry.dataOffset = dataOffsetFromHeaders(m_file, at);
        if (entry.dataOffset < 0)
            throw FormatError(path + QLatin1String(": ") + entry.name + QLatin1String(": bad local zip header"));
        addEntry(std::move(entry));
        at = next;
    }
    return true;
}

void ZipArchive::readWithMinizip()
{
    const MappedFile& file = m_file;
    const QString& path = file.path();
    MemoryStream stream{file.bytes().data(), static_cast<quint64>(file.size())};
    zlib_filefunc64_def io{};
    io.zopen64_file = memOpen;
    io.zread_file = memRead;
    io.zwrite_file = memWrite;
    io.ztell64_file = memTell;
    io.zseek64_file = memSeek;
    io.zclose_file = memClose;
    io.zerror_file = memError;
    io.opaque = &stream;

    std::unique_ptr<void, UnzCloser> zip(unzOpen2_64(path.toUtf8().constData(), &io));
    if (!zip)
        throw FormatError(path + QLatin1String(": not a readable zip archive (no central directory found)"));

    unz_global_info64 global{};
    if (unzGetGlobalInfo64(zip.get(), &global) != UNZ_OK)
        throw FormatError(path + QLatin1String(": unreadable zip central directory"));
    if (global.number_entry > static_cast<quint64>(file.size() / 46 + 1))
        throw FormatError(path + QLatin1String(": zip directory claims ") + QString::number(global.number_entry) +
                          QLatin1String(" entries, more than the file can hold"));
    m_entries.reserve(static_cast<qsizetype>(global.number_entry));

    int rc = unzGoToFirstFile(zip.get());
    while (rc == UNZ_OK) {
        unz_file_info64 info{};
        char name[4096];
        if (unzGetCurrentFileInfo64(zip.get(), &info, name, sizeof name, nullptr, 0, nullptr, 0) != UNZ_OK)
            throw FormatError(path + QLatin1String(": unreadable zip directory entry ") + QString::number(m_entries.size()));
        ZipEntry entry;
        entry.name = QString::fromUtf8(name, static_cast<qsizetype>(std::min<uLong>(info.size_filename, sizeof name - 1)));
        entry.compressedSize = static_cast<qint64>(info.compressed_size);
        entry.size = static_cast<qint64>(info.uncompressed_size);
        entry.stored = info.compression_method == 0;
        if (info.compression_method != 0 && info.compression_method != Z_DEFLATED)
            throw FormatError(path + QLatin1String(": ") + entry.name + QLatin1String(" uses unsupported zip compression method ") +
                              QString::number(info.compression_method));
        if (unzOpenCurrentFile(zip.get()) != UNZ_OK)
            throw FormatError(path + QLatin1String(": ") + entry.name + QLatin1String(": bad local zip header"));
        entry.dataOffset = static_cast<qint64>(unzGetCurrentFileZStreamPos64(zip.get()));
        unzCloseCurrentFile(zip.get());
        addEntry(std::move(entry));
        rc = unzGoToNextFile(zip.get());
    }
    if (rc != UNZ_END_OF_LIST_OF_FILE)
        throw FormatError(path + QLatin1String(": zip directory ends early after ") + QString::number(m_entries.size()) +
                          QLatin1String(" entries"));
}

const ZipEntry* ZipArchive::find(const QString& name) const
{
    const auto it = m_index.constFind(name);
    return it == m_index.constEnd() ? nullptr : &m_entries[*it];
}

QByteArray ZipArchive::read(const ZipEntry& entry, qint64 limit) const
{
    const QString what = m_file.path() + QLatin1String(": ") + entry.name;
    if (entry.size > limit)
        throw FormatError(what + QLatin1String(" is ") + QString::number(entry.size) + QLatin1String(" bytes, more than the ") +
                          QString::number(limit) + QLatin1String(" allowed"));
    const QByteArrayView raw = m_file.slice(entry.dataOffset, entry.compressedSize, what);
    if (entry.stored)
        return raw.toByteArray();
    QByteArray out(static_cast<qsizetype>(entry.size), Qt::Uninitialized);
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
        throw FormatError(what + QLatin1String(": cannot start decompression"));
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
    z.avail_in = static_cast<uInt>(std::min<qint64>(raw.size(), std::numeric_limits<uInt>::max()));
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&z, Z_FINISH);
    const auto produced = static_cast<qint64>(z.total_out);
    inflateEnd(&z);
    if (rc != Z_STREAM_END || produced != entry.size)
        throw FormatError(what + QLatin1String(": corrupt compressed data"));
    return out;
}

} // namespace statescope
