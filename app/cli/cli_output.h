#pragma once

#include <QJsonObject>
#include <QString>

namespace statescope {

// stdout/stderr helpers shared by the subcommands; UTF-8 regardless of locale.
void printOut(const QString& text);
void printJson(const QJsonObject& object);
// One line "statescope: <message>" on stderr; returns exit status 2 for `return fail(...)`.
int fail(const QString& message);

} // namespace statescope
