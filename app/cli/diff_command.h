#pragma once

#include <QStringList>

namespace statescope {

// statescope diff SOURCE TARGET [--json] [--source-dict PATH] [--target-dict PATH] [--model-name NAME]
// Exit status: 0 the source loads into the target with strict=True, 1 it does not, 2 error.
int runDiff(const QStringList& arguments);

} // namespace statescope
