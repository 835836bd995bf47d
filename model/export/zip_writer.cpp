#include "zip_writer.h"

#include "export/atomic_output.h"

#include <zlib.h>

#include <algorithm>

namespace statescope {

namespace {

constexpr qint64 kAlignment = 64;              // PyTorchStreamWriter's kFieldAlignment
constexpr quint64 kMax32 = 0xffffffffu;         // miniz's MZ_UINT32_MAX: from here on a field goes to ZIP64
constexpr int kMaxCount16 = 0xffff;
constexpr quint16 kFlags = 0x0808;              // bit 3: data descriptor, bit 11: UTF-8 names (as miniz in torch)
constexpr qsizetype kFlushAt = qsizetype(1) << 20;
// Records up to this size are copied into the buffer (one write(2) for many small tensors); larger ones are
// written or copied on their own.
constexpr qint64 kSmallRecord = qint64(256) << 10;
constexpr qint64 kCrcChunk = qint64(8) << 20;

void put16(QByteArray& out, quint64 v)
{
    out.append(char(v & 0xff));
    out.append(char((v >> 8) & 0xff));
}

void put32(QByteArray& out, quint64 v)
{
    put16(out, v & 0xffff);
    put16(out, (v >> 16) & 0xffff);
}

void put64(QByteArray& out, quint64 v)
{
    put32(out, v & kMax32);
    put32(out, v >> 32);
}

quint32 crcOf(QByteArrayView bytes, quint32 crc = 0)
{
    return quint32(crc32_z(crc, reinterpret_cast<const Bytef*>(bytes.data()), z_size_t(bytes.size())));
}

// ZIP64 extended information (header 0x0001): the sizes, then the local header offset, each only when asked.
QByteArray zip64Field(bool sizes, bool offset, qint64 size, qint64 headerOffset)
{
    QByteArray field;
    if (!sizes && !offset)
        return field;
    put16(field, 0x0001);
    put16(field, (sizes ? 16 : 0) + (offset ? 8 : 0));
    if (sizes) {
        put64(field, quint64(size)); // uncompressed
        put64(field, quint64(size)); // compressed (stored: the same)
    }
    if (offset)
        put64(field, quint64(headerOffset));
    return field;
}

} // namespace

ZipWriter::ZipWriter(AtomicOutput& output, const QString& archiveName, bool forceZip64)
    : m_output(output), m_prefix(archiveName.toUtf8() + '/'), m_forceZip64(forceZip64)
{
    m_buffer.reserve(kFlushAt + kSmallRecord + 4096);
}

bool ZipWriter::append(QByteArrayView bytes)
{
    m_buffer.append(bytes.data(), bytes.size());
    m_offset += bytes.size();
    return m_buffer.size() < kFlushAt || flush();
}

bool ZipWriter::flush()
{
    if (m_buffer.isEmpty())
        return true;
    const bool ok = m_output.write(m_buffer.constData(), m_buffer.size());
    m_buffer.truncate(0);
    return ok;
}

void ZipWriter::beginRecord(const QString& name, qint64 size)
{
    Record record;
    record.name = m_prefix + name.toUtf8();
    record.headerOffset = m_offset;
    record.size = size;
    const bool bigSize = m_forceZip64 || quint64(size) >= kMax32;
    const bool bigOffset = m_forceZip64 || quint64(m_offset) >= kMax32;
    record.zip64 = bigSize || bigOffset;
    QByteArray extra = zip64Field(bigSize, bigOffset, size, m_offset);
    // The stream writer's padding: an extra field "FB" whose 'Z' bytes end where the next multiple of 64 begins.
    const qint64 start = m_offset + 30 + record.name.size() + extra.size() + 4;
    const qint64 padding = (kAlignment - start % kAlignment) % kAlignment;
    extra.append("FB", 2);
    put16(extra, quint64(padding));
    extra.append(QByteArray(padding, 'Z'));

    QByteArray header;
    header.reserve(30 + record.name.size() + extra.size());
    put32(header, 0x04034b50);
    put16(header, 0);      // version needed (miniz writes 0 for stored records)
    put16(header, kFlags);
    put16(header, 0);      // method: stored
    put32(header, 0);      // DOS time and date
    put32(header, 0);      // CRC-32, in the descriptor
    put32(header, 0);      // compressed size, in the descriptor
    put32(header, 0);      // uncompressed size, in the descriptor
    put16(header, quint64(record.name.size()));
    put16(header, quint64(extra.size()));
    header.append(record.name);
    header.append(extra);
    m_records.push_back(std::move(record));
    append(header); // a failure shows in the next flush: the output keeps its first error
}

bool ZipWriter::endRecord(quint32 crc)
{
    Record& record = m_records.last();
    record.crc = crc;
    QByteArray descriptor;
    put32(descriptor, 0x08074b50);
    put32(descriptor, crc);
    if (record.zip64) {
        put64(descriptor, quint64(record.size));
        put64(descriptor, quint64(record.size));
    } else {
        put32(descriptor, quint64(record.size));
        put32(descriptor, quint64(record.size));
    }
    return append(descriptor) && m_output.error().isEmpty();
}

bool ZipWriter::addRecord(const QString& name, QByteArrayView data)
{
    beginRecord(name, data.size());
    if (data.size() <= kSmallRecord) {
        append(data);
    } else {
        if (!flush() || !m_output.write(data.data(), data.size()))
            return false;
        m_offset += data.size();
    }
    return endRecord(crcOf(data));
}

bool ZipWriter::addMappedRecord(const QString& name, QByteArrayView mapped, int fd, qint64 offset,
                                std::optional<quint32> crc)
{
    beginRecord(name, mapped.size());
    if (mapped.size() <= kSmallRecord) {
        append(mapped);
        return endRecord(crc ? *crc : crcOf(mapped));
    }
    if (!flush())
        return false;
    qint64 done = 0;
    if (crc) {
        if (fd >= 0) {
            done = m_output.copyFrom(fd, offset, mapped.size());
            if (done < 0)
                return false;
        }
        // What the kernel could not copy (another file system, an old kernel) goes through the mapping.
        if (done < mapped.size() && !m_output.write(mapped.data() + done, mapped.size() - done, true))
            return false;
    } else {
        // One pass over the pages: CRC, then the write of the same chunk while it is still cached.
        quint32 sum = 0;
        for (; done < mapped.size(); done += kCrcChunk) {
            const QByteArrayView chunk = mapped.sliced(done, std::min(kCrcChunk, mapped.size() - done));
            sum = crcOf(chunk, sum);
            if (!m_output.write(chunk.data(), chunk.size(), true))
                return false;
        }
        crc = sum;
    }
    m_offset += mapped.size();
    return endRecord(*crc);
}

bool ZipWriter::finish(const QByteArray& serializationId)
{
    // PyTorchStreamWriter::writeEndOfFile: the file format version (3 in torch 1.13 and 2.x), then in torch
    // 2.x the save's serialization id.
    if (!addRecord(QStringLiteral("version"), QByteArrayView("3\n", 2)))
        return false;
    if (!serializationId.isEmpty() && !addRecord(QStringLiteral(".data/serialization_id"), serializationId))
        return false;
    const qint64 directoryOffset = m_offset;
    for (const Record& record : m_records) {
        const bool bigSize = m_forceZip64 || quint64(record.size) >= kMax32;
        const bool bigOffset = m_forceZip64 || quint64(record.headerOffset) >= kMax32;
        const QByteArray extra = zip64Field(bigSize, bigOffset, record.size, record.headerOffset);
        QByteArray entry;
        entry.reserve(46 + record.name.size() + extra.size());
        put32(entry, 0x02014b50);
        put16(entry, 0); // version made by
        put16(entry, 0); // version needed
        put16(entry, kFlags);
        put16(entry, 0); // stored
        put32(entry, 0); // DOS time and date
        put32(entry, record.crc);
        put32(entry, bigSize ? kMax32 : quint64(record.size));
        put32(entry, bigSize ? kMax32 : quint64(record.size));
        put16(entry, quint64(record.name.size()));
        put16(entry, quint64(extra.size()));
        put16(entry, 0); // comment
        put16(entry, 0); // disk
        put16(entry, 0); // internal attributes
        put32(entry, 0); // external attributes
        put32(entry, bigOffset ? kMax32 : quint64(record.headerOffset));
        entry.append(record.name);
        entry.append(extra);
        if (!append(entry))
            return false;
    }
    const qint64 directorySize = m_offset - directoryOffset;
    const qint64 count = m_records.size();
    const bool zip64 = m_forceZip64 || count >= kMaxCount16 || quint64(directorySize) >= kMax32 ||
                       quint64(directoryOffset) >= kMax32;
    QByteArray end;
    if (zip64) {
        const qint64 record = m_offset;
        put32(end, 0x06064b50);
        put64(end, 44); // size of the rest of this record
        put16(end, 45); // version made by: 4.5, ZIP64
        put16(end, 45); // version needed
        put32(end, 0);  // this disk
        put32(end, 0);  // the directory's disk
        put64(end, quint64(count));
        put64(end, quint64(count));
        put64(end, quint64(directorySize));
        put64(end, quint64(directoryOffset));
        put32(end, 0x07064b50); // locator
        put32(end, 0);
        put64(end, quint64(record));
        put32(end, 1); // disks
    }
    put32(end, 0x06054b50);
    put16(end, 0);
    put16(end, 0);
    const quint64 count16 = zip64 && (m_forceZip64 || count >= kMaxCount16) ? kMaxCount16 : quint64(count);
    put16(end, count16);
    put16(end, count16);
    put32(end, zip64 && (m_forceZip64 || quint64(directorySize) >= kMax32) ? kMax32 : quint64(directorySize));
    put32(end, zip64 && (m_forceZip64 || quint64(directoryOffset) >= kMax32) ? kMax32 : quint64(directoryOffset));
    put16(end, 0); // comment
    return append(end) && flush();
}

} // namespace statescope
