#pragma once

#include "checkpoint/dtype.h"

#include <QByteArrayView>
#include <QMap>
#include <QString>
#include <QVector>

namespace statescope {

// One tensor of a safetensors header. Offsets are relative to the data buffer, as in the file.
struct SafetensorsEntry
{
    QString name;
    DType dtype = DType::Unknown;
    QVector<qint64> shape;
    qint64 numel = 0;
    qint64 begin = 0;
    qint64 end = 0;
};

struct SafetensorsHeader
{
    qint64 dataStart = 0;              // absolute offset of the data buffer: 8 + header length
    QVector<SafetensorsEntry> tensors; // file order: ascending data offsets
    QMap<QString, QString> metadata;   // __metadata__
};

// The largest header the reference reader accepts (safetensors' MAX_HEADER_SIZE).
constexpr qint64 kSafetensorsMaxHeader = 100000000;

// Parses and validates the header of a whole safetensors file held in `file`, with every rule of the
// reference reader (lengths, JSON, dtypes, shapes, contiguous offsets covering the buffer exactly). Never
// touches tensor bytes. Throws FormatError("<path>: ...") naming the tensor at fault.
SafetensorsHeader parseSafetensorsHeader(QByteArrayView file, const QString& path);

} // namespace statescope
