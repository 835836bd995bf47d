#pragma once

#include <QStringList>

namespace statescope {

// statescope fix SOURCE --target TARGET (--rules RULES | --auto) -o OUT
//                [--format torch|safetensors] [--state-dict-only] [--save-rules RULES] [--force]
int runFix(const QStringList& arguments);

} // namespace statescope
