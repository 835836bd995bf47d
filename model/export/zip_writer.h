#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QVector>

#include <optional>

namespace statescope {

class AtomicOutput;

// The zip container of torch.save, written by us rather than by LibTorch's PyTorchStreamWriter. Deliberate
// deviation from DESIGN.md ("LibTorch writes torch files"): the stream writer needs every record's bytes in
// user space and runs miniz's slow CRC-32 over them (1.5 s of a 4 s fix on 2 GB, bench/fix/README.md), and it
// needs the plugin loaded for a plain rename. This writer reproduces the stream writer's layout byte for byte in
// what readers look at, so torch's reader (miniz) and ours accept it exactly as they accept torch.save's files:
// - names "<archive>/<record>", stored (method 0), flags 0x0808 (UTF-8 names, data descriptor), zero times;
// - local headers with zero CRC and sizes, then an extra field "FB" of 'Z' bytes that puts the data at a
//   multiple of 64 (torch maps records in place and wants them aligned);
// - a data descriptor after each record (CRC, sizes; 64-bit sizes when the record carries a ZIP64 field);
// - a central directory and end record, with ZIP64 fields, end record and locator as miniz writes them:
//   sizes when a size reaches 0xffffffff, the offset when an offset does, the ZIP64 end record when the count
//   passes 0xffff or the directory's size or offset reach 0xffffffff.
// Bytes go through AtomicOutput; records copied unchanged from another file can stay in the kernel.
class ZipWriter
{
public:
    // `forceZip64`: every record and the end carry ZIP64 fields as if the archive were huge (for tests: a real
    // 4 GiB archive is too slow to write in a unit test).
    ZipWriter(AtomicOutput& output, const QString& archiveName, bool forceZip64 = false);
    ZipWriter(const ZipWriter&) = delete;
    ZipWriter& operator=(const ZipWriter&) = delete;

    // A record from memory; its CRC-32 is computed (zlib). False when the output failed (see its error()).
    bool addRecord(const QString& name, QByteArrayView data);
    // A record whose bytes lie in a read-only shared file mapping (`mapped`) and, when fd >= 0, at `offset` of
    // file `fd` as well. With a known CRC (the bytes are an unchanged record of a zip whose directory gives it)
    // the bytes are copied file to file by the kernel and never read here; otherwise the CRC is computed from
    // the mapping while the same pages are written, and released behind.
    bool addMappedRecord(const QString& name, QByteArrayView mapped, int fd, qint64 offset, std::optional<quint32> crc);
    // Writes the `version` record (as the stream writer does, last), then `.data/serialization_id` when given,
    // the central directory and the end records.
    bool finish(const QByteArray& serializationId = {});

    // Bytes of the archive so far.
    qint64 size() const { return m_offset; }

private:
    struct Record
    {
        QByteArray name;
        qint64 headerOffset = 0;
        qint64 size = 0;
        quint32 crc = 0;
        bool zip64 = false; // the local header carries a ZIP64 field (and so the descriptor 64-bit sizes)
    };
    void beginRecord(const QString& name, qint64 size);
    bool endRecord(quint32 crc);
    bool append(QByteArrayView bytes);
    bool flush();

    AtomicOutput& m_output;
    QByteArray m_prefix;
    bool m_forceZip64;
    QByteArray m_buffer; // headers and small records, written in larger pieces
    qint64 m_offset = 0; // bytes of the archive so far, buffered ones included
    QVector<Record> m_records;
};

} // namespace statescope
