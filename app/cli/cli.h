#pragma once

#include <QStringList>

namespace statescope {

// The headless front end (CLI.md). Returns the process exit status: 0 done, 1 "would not load" verdicts,
// 2 errors (one line on stderr starting "statescope: ").
bool isCliInvocation(const QStringList& arguments);
int runCli(const QStringList& arguments);

} // namespace statescope
