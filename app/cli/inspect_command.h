#pragma once

#include <QStringList>

namespace statescope {

// statescope inspect FILE [--json] [--state-dict PATH]
int runInspect(const QStringList& arguments);

} // namespace statescope
