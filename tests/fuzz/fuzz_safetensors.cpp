// libFuzzer harness for the safetensors header parser: the input is a whole file (length prefix, JSON header,
// data buffer). It must parse or throw FormatError, never crash, hang or allocate what the bytes cannot back.
#include "formats/format_error.h"
#include "formats/safetensors_header.h"

#include <QByteArrayView>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace statescope;
    const QByteArrayView file(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    try {
        const SafetensorsHeader header = parseSafetensorsHeader(file, QStringLiteral("fuzz.safetensors"));
        // What the parser promises its callers (safetensors_reader.cpp relies on it to slice the mapping):
        // every tensor lies inside the file and the entries tile the data buffer in order.
        qint64 expectedBegin = 0;
        for (const SafetensorsEntry& entry : header.tensors) {
            if (entry.begin != expectedBegin || entry.end < entry.begin ||
                header.dataStart + entry.end > static_cast<qint64>(size))
                __builtin_trap();
            expectedBegin = entry.end;
        }
        if (header.dataStart + expectedBegin != static_cast<qint64>(size))
            __builtin_trap();
    } catch (const FormatError&) {
        // Rejecting malformed input with a message is the expected outcome.
    }
    return 0;
}
