#pragma once

// A private header of the LibTorch plugin: include it after the LibTorch headers of the .cpp, before any Qt
// header of its own (Qt's `slots` macro breaks LibTorch's headers).
#include <c10/core/ScalarType.h>

#include "checkpoint/dtype.h"

#include <optional>

namespace statescope {

// What a quantized dtype maps to: export has no arithmetic for them, value statistics read their stored
// integers (int_repr; scales and zero points are compared by the host).
enum class QuantizedAs {
    Unsupported,
    StoredIntegers,
};

// LibTorch's scalar type for one of ours; nullopt where LibTorch 1.13 has no arithmetic for it (uint16/32/64,
// float8, complex32) or, with QuantizedAs::Unsupported, for the quantized types.
std::optional<c10::ScalarType> scalarTypeOf(DType type, QuantizedAs quantized);

} // namespace statescope
