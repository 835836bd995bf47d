// LibTorch first: Qt's `slots`/`signals` macros would break its headers (the target also sets QT_NO_KEYWORDS).
#include <c10/core/ScalarType.h>

#include "torch_dtype.h"

namespace statescope {

std::optional<c10::ScalarType> scalarTypeOf(DType type, QuantizedAs quantized)
{
    const bool storedIntegers = quantized == QuantizedAs::StoredIntegers;
    switch (type) {
    case DType::Float64: return c10::kDouble;
    case DType::Float32: return c10::kFloat;
    case DType::Float16: return c10::kHalf;
    case DType::BFloat16: return c10::kBFloat16;
    case DType::Int64: return c10::kLong;
    case DType::Int32: return c10::kInt;
    case DType::Int16: return c10::kShort;
    case DType::Int8: return c10::kChar;
    case DType::UInt8: return c10::kByte;
    case DType::Bool: return c10::kBool;
    case DType::Complex64: return c10::kComplexFloat;
    case DType::Complex128: return c10::kComplexDouble;
    // Quantized tensors as their stored integers (int_repr), so `equal` keeps torch.equal's meaning for them.
    case DType::QInt8: return storedIntegers ? std::optional(c10::kChar) : std::nullopt;
    case DType::QUInt8: return storedIntegers ? std::optional(c10::kByte) : std::nullopt;
    case DType::QInt32: return storedIntegers ? std::optional(c10::kInt) : std::nullopt;
    // Two or four values per byte: compared as the packed bytes.
    case DType::QUInt4x2:
    case DType::QUInt2x4: return storedIntegers ? std::optional(c10::kByte) : std::nullopt;
    default: return std::nullopt; // uint16/32/64, float8, complex32: LibTorch 1.13 has no arithmetic for them
    }
}

} // namespace statescope
