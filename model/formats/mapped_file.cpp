#include "mapped_file.h"

#include "format_error.h"
#include "zip_archive.h"

#include <QFileInfo>

namespace statescope {

MappedFile::MappedFile(const QString& path) : m_path(path), m_file(path)
{
    const QFileInfo info(path);
    if (!info.exists())
        throw FormatError(path + QLatin1String(": no such file"));
    if (info.isDir())
        throw FormatError(path + QLatin1String(": is a directory"));
    if (!m_file.open(QIODevice::ReadOnly))
        throw FormatError(path + QLatin1String(": ") + m_file.errorString());
    m_size = m_file.size();
    if (m_size > 0) {
        m_data = m_file.map(0, m_size);
        if (!m_data)
            throw FormatError(path + QLatin1String(": cannot map: ") + m_file.errorString());
    }
}

const ZipArchive& MappedFile::zipDirectory() const
{
    if (!m_zip)
        m_zip = std::make_unique<ZipArchive>(*this);
    return *m_zip;
}

MappedFile::~MappedFile()
{
    if (m_data)
        m_file.unmap(const_cast<uchar*>(m_data));
}

QByteArrayView MappedFile::slice(qint64 offset, qint64 length, const QString& what) const
{
    if (offset < 0 || length < 0 || offset > m_size || length > m_size - offset) {
        throw FormatError(what + QLatin1String(": bytes ") + QString::number(offset) + QLatin1String("..") +
                          QString::number(offset + length) + QLatin1String(" lie beyond the end of the file (") +
                          QString::number(m_size) + QLatin1String(" bytes)"));
    }
    return bytes().sliced(offset, length);
}

} // namespace statescope
