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

// minizip tolerates an end-of-directory record cut short when a ZIP64 locator precedes it; torch does not,
// and a file that lost its last bytes was damaged in transit: say so instead of reading on.
void checkEndRecord(const MappedFile& file)
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
            return;
        break;
    }
    throw FormatError(file.path() + QLatin1String(": truncated zip archive (its end-of-directory record is missing or cut short)"));
}

} // namespace

ZipArchive::ZipArchive(const MappedFile& file) : m_file(file)
{
    const QString& path = file.path();
    checkEndRecord(file);
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
    // Each central directory record takes at least 46 bytes: a count beyond that is a lie.
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
        if (entry.compressedSize < 0 || entry.dataOffset > file.size() || entry.compressedSize > file.size() - entry.dataOffset)
            throw FormatError(path + QLatin1String(": record ") + entry.name + QLatin1String(" is truncated (needs ") +
                              QString::number(entry.compressedSize) + QLatin1String(" bytes at offset ") +
                              QString::number(entry.dataOffset) + QLatin1String(", file has ") + QString::number(file.size()) +
                              QLatin1Char(')'));
        if (entry.stored && entry.size != entry.compressedSize)
            throw FormatError(path + QLatin1String(": stored record ") + entry.name + QLatin1String(" has inconsistent sizes"));
        m_index.insert(entry.name, m_entries.size());
        m_entries.push_back(entry);
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
