#include "dtype.h"

#include <QStringList>

#include <array>

namespace statescope {

namespace {

struct DTypeInfo
{
    DType type;
    const char* name;
    int size;
    const char* storageClass;
    const char* safetensors;
};

// One table keeps all spellings of a type together, so adding a dtype touches one line.
constexpr std::array<DTypeInfo, 32> kTypes{{
    {DType::Float64, "float64", 8, "DoubleStorage", "F64"},
    {DType::Float32, "float32", 4, "FloatStorage", "F32"},
    {DType::Float16, "float16", 2, "HalfStorage", "F16"},
    {DType::BFloat16, "bfloat16", 2, "BFloat16Storage", "BF16"},
    {DType::Int64, "int64", 8, "LongStorage", "I64"},
    {DType::Int32, "int32", 4, "IntStorage", "I32"},
    {DType::Int16, "int16", 2, "ShortStorage", "I16"},
    {DType::Int8, "int8", 1, "CharStorage", "I8"},
    {DType::UInt8, "uint8", 1, "ByteStorage", "U8"},
    {DType::UInt16, "uint16", 2, "", "U16"},
    {DType::UInt32, "uint32", 4, "", "U32"},
    {DType::UInt64, "uint64", 8, "", "U64"},
    {DType::Bool, "bool", 1, "BoolStorage", "BOOL"},
    {DType::Complex32, "complex32", 4, "ComplexHalfStorage", ""},
    {DType::Complex64, "complex64", 8, "ComplexFloatStorage", "C64"},
    {DType::Complex128, "complex128", 16, "ComplexDoubleStorage", ""},
    {DType::QInt8, "qint8", 1, "QInt8Storage", ""},
    {DType::QUInt8, "quint8", 1, "QUInt8Storage", ""},
    {DType::QInt32, "qint32", 4, "QInt32Storage", ""},
    {DType::QUInt4x2, "quint4x2", 1, "QUInt4x2Storage", ""},
    {DType::QUInt2x4, "quint2x4", 1, "QUInt2x4Storage", ""},
    {DType::Float8E4M3, "float8_e4m3fn", 1, "", "F8_E4M3"},
    {DType::Float8E5M2, "float8_e5m2", 1, "", "F8_E5M2"},
    // torch >= 2.1 saves the types below through UntypedStorage and _rebuild_tensor_v3, which names the dtype.
    {DType::Float8E4M3FnUz, "float8_e4m3fnuz", 1, "", ""},
    {DType::Float8E5M2FnUz, "float8_e5m2fnuz", 1, "", ""},
    {DType::Float8E8M0Fnu, "float8_e8m0fnu", 1, "", ""},
    {DType::Float4E2M1FnX2, "float4_e2m1fn_x2", 1, "", ""},
    {DType::Bits1x8, "bits1x8", 1, "", ""},
    {DType::Bits2x4, "bits2x4", 1, "", ""},
    {DType::Bits4x2, "bits4x2", 1, "", ""},
    {DType::Bits8, "bits8", 1, "", ""},
    {DType::Bits16, "bits16", 2, "", ""},
}};

const DTypeInfo* find(DType type)
{
    for (const auto& info : kTypes) {
        if (info.type == type)
            return &info;
    }
    return nullptr;
}

template<typename Field>
DType findBy(const QString& text, Field field)
{
    if (text.isEmpty())
        return DType::Unknown;
    for (const auto& info : kTypes) {
        if (text == QLatin1String(info.*field))
            return info.type;
    }
    return DType::Unknown;
}

} // namespace

QString dtypeName(DType type)
{
    const auto* info = find(type);
    return info ? QString::fromLatin1(info->name) : QStringLiteral("unknown");
}

DType dtypeFromName(const QString& name)
{
    // torch also accepts its aliases; checkpoints only ever carry the canonical names, but users type aliases.
    static const struct { const char* alias; DType type; } aliases[] = {
        {"float", DType::Float32}, {"double", DType::Float64}, {"half", DType::Float16},
        {"long", DType::Int64},    {"int", DType::Int32},      {"short", DType::Int16},
        {"cfloat", DType::Complex64}, {"cdouble", DType::Complex128},
    };
    QString bare = name.startsWith(QLatin1String("torch.")) ? name.mid(6) : name;
    for (const auto& a : aliases) {
        if (bare == QLatin1String(a.alias))
            return a.type;
    }
    return findBy(bare, &DTypeInfo::name);
}

int dtypeElementSize(DType type)
{
    const auto* info = find(type);
    return info ? info->size : 0;
}

DType dtypeFromStorageClass(const QString& className) { return findBy(className, &DTypeInfo::storageClass); }

QString storageClassForDtype(DType type)
{
    const auto* info = find(type);
    return info ? QString::fromLatin1(info->storageClass) : QString();
}

QString safetensorsDtypeName(DType type)
{
    const auto* info = find(type);
    return info ? QString::fromLatin1(info->safetensors) : QString();
}

DType dtypeFromSafetensors(const QString& name) { return findBy(name, &DTypeInfo::safetensors); }

bool dtypeIsFloatingPoint(DType type)
{
    switch (type) {
    case DType::Float64:
    case DType::Float32:
    case DType::Float16:
    case DType::BFloat16:
    case DType::Float8E4M3:
    case DType::Float8E5M2:
    case DType::Float8E4M3FnUz:
    case DType::Float8E5M2FnUz:
    case DType::Float8E8M0Fnu:
    case DType::Float4E2M1FnX2:
        return true;
    default:
        return false;
    }
}

bool dtypeIsComplex(DType type)
{
    return type == DType::Complex32 || type == DType::Complex64 || type == DType::Complex128;
}

bool dtypeIsQuantized(DType type)
{
    switch (type) {
    case DType::QInt8:
    case DType::QUInt8:
    case DType::QInt32:
    case DType::QUInt4x2:
    case DType::QUInt2x4:
        return true;
    default:
        return false;
    }
}

QString shapeText(const QVector<qint64>& shape)
{
    QStringList dims;
    for (qint64 d : shape)
        dims << QString::number(d);
    return QLatin1Char('[') + dims.join(QLatin1String(", ")) + QLatin1Char(']');
}

} // namespace statescope
