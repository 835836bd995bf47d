#pragma once

#include <QString>
#include <QVector>

namespace statescope {

// Element types of tensors as torch names them. The order is ours; names and sizes are torch's.
enum class DType {
    Unknown,
    Float64,
    Float32,
    Float16,
    BFloat16,
    Int64,
    Int32,
    Int16,
    Int8,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Bool,
    Complex32,
    Complex64,
    Complex128,
    QInt8,
    QUInt8,
    QInt32,
    QUInt4x2,
    QUInt2x4,
    Float8E4M3,
    Float8E5M2,
    Float8E4M3FnUz,
    Float8E5M2FnUz,
    Float8E8M0Fnu,
    Float4E2M1FnX2, // two 4-bit floats per byte; torch counts elements in bytes
    Bits1x8,        // torch's opaque bit containers: saved and loaded, no arithmetic
    Bits2x4,
    Bits4x2,
    Bits8,
    Bits16,
};

// torch's name without the "torch." prefix ("float32", "bfloat16", "qint8").
QString dtypeName(DType type);
DType dtypeFromName(const QString& name);
// Bytes per element; 1 for the packed sub-byte quantized types (torch stores them per byte).
int dtypeElementSize(DType type);
// "FloatStorage" -> Float32, as pickled by torch.save for typed storages.
DType dtypeFromStorageClass(const QString& className);
QString storageClassForDtype(DType type);
// safetensors' spelling ("F32", "BF16", ...); empty when safetensors has no such type.
QString safetensorsDtypeName(DType type);
DType dtypeFromSafetensors(const QString& name);
bool dtypeIsFloatingPoint(DType type);
bool dtypeIsComplex(DType type);
bool dtypeIsQuantized(DType type);
// "[64, 3, 7, 7]": a shape as StateScope prints it everywhere (messages, tables, reports).
QString shapeText(const QVector<qint64>& shape);

} // namespace statescope
