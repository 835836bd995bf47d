#pragma once

#include <QStringList>

namespace statescope {

// statescope suggest SOURCE TARGET [--source-dict PATH] [--target-dict PATH] [--python]
// Prints the suggested rules JSON (each rule with its suggestion's confidence, reason and lossless flag as
// extra fields the reader ignores), or with --python the Python function applying the same rules.
// Exit status: 0 done, 2 error.
int runSuggest(const QStringList& arguments);

} // namespace statescope
