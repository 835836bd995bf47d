#pragma once

// Shared by the Qt Test suites: where the torch-written fixtures are and what torch recorded about them.

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace statescope::test {

inline QString fixture(const QString& name)
{
    return QLatin1String(STATESCOPE_FIXTURE_DIR "/") + name;
}

// The `<name>.expected.json` written beside a fixture by tests/fixtures/gen_*.py (null object if absent).
inline QJsonObject expected(const QString& name)
{
    QFile f(fixture(name) + QLatin1String(".expected.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

struct ProcessResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs the built `statescope` executable headless.
inline ProcessResult runStatescope(const QStringList& arguments, int timeoutMs = 120000)
{
    QProcess p;
    p.setProgram(QLatin1String(STATESCOPE_BIN_DIR "/statescope"));
    p.setArguments(arguments);
    p.start();
    p.waitForFinished(timeoutMs);
    ProcessResult r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// Runs real torch (/usr/bin/python3) on a snippet; returns stdout, or fails the caller's QVERIFY via exitCode.
inline ProcessResult runPython(const QString& code, const QStringList& arguments = {})
{
    QProcess p;
    p.setProgram(QLatin1String(STATESCOPE_PYTHON));
    p.setArguments(QStringList{QStringLiteral("-c"), code} + arguments);
    p.start();
    p.waitForFinished(300000);
    ProcessResult r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace statescope::test
