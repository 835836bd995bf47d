#pragma once

#include <QString>

namespace statescope {

// LibTorch messages span several lines (the error, then the offending source or record); the user gets them
// as one line, cut where it stops being useful.
QString oneLine(const char* what);

} // namespace statescope
