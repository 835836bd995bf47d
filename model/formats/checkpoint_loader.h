#pragma once

#include <QString>

#include <memory>

namespace statescope {

class Checkpoint;
class MappedFile;
enum class CheckpointFormat;

// The format of a file judged from its bytes alone (never its name). Throws FormatError for unknown content,
// naming what was seen.
CheckpointFormat sniffFormat(const MappedFile& file);

// Opens any supported checkpoint without executing anything and without reading tensor bytes.
// Throws FormatError with a one-line message naming the file and the problem.
std::shared_ptr<const Checkpoint> openCheckpoint(const QString& path);

} // namespace statescope
