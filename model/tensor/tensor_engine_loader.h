#pragma once

#include <QString>

namespace statescope {

class TensorEngine;

// The LibTorch tensor engine, loaded on the first call (thread-safe, once per process) from the first of:
// $STATESCOPE_PLUGIN_DIR, <application dir>/../lib/statescope, <install libdir>/statescope.
// Returns nullptr and sets *error (naming every place it looked, or why loading failed) when it is not
// available; the outcome is remembered, so later calls answer at once.
TensorEngine* tensorEngine(QString* error);

} // namespace statescope
