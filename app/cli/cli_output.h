#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>

class QCommandLineParser;

namespace statescope {

// stdout/stderr helpers shared by the subcommands; UTF-8 regardless of locale.
void printOut(const QString& text);
// Text for stderr that is not an error (notes such as the lossy repairs `fix --auto --lossy` applied).
void printErr(const QString& text);
void printUtf8(const QByteArray& text);
void printJson(const QJsonObject& object);
// One line "statescope: <message>" on stderr; returns exit status 2 for `return fail(...)`.
int fail(const QString& message);
// Keeps an object alive until the process ends and never frees it. Freeing a large checkpoint's million
// objects one by one costs ~15% of `inspect`; a CLI process is about to exit and the OS reclaims it at once.
void keepUntilExit(std::shared_ptr<const void> object);
// Parses a subcommand's arguments. Returns -1 to go on, else the exit status to return: 0 after printing
// --help, 2 after reporting a parse error.
int parseArguments(QCommandLineParser& parser, const QStringList& arguments);

} // namespace statescope
