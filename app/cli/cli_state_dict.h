#pragma once

#include "checkpoint/state_dict.h"

class QCommandLineOption;
class QCommandLineParser;

namespace statescope {

class Checkpoint;

// The state dict a --state-dict/--source-dict/--target-dict option names: an explicit "" is the root, no
// option the best candidate. Throws FormatError naming the candidates when the path holds none.
StateDict selectByOption(const Checkpoint& checkpoint, const QCommandLineParser& parser, const QCommandLineOption& option);

} // namespace statescope
