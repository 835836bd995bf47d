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

// The oracle's fixture folder and Python: ctest sets both per oracle (tests/CMakeLists.txt); a suite run by
// hand falls back to the default oracle's.
inline QString fixtureDir()
{
    const QString dir = qEnvironmentVariable("STATESCOPE_FIXTURE_DIR");
    return dir.isEmpty() ? QStringLiteral(STATESCOPE_FIXTURE_DIR) : dir;
}

inline QString pythonPath()
{
    const QString python = qEnvironmentVariable("STATESCOPE_PYTHON");
    return python.isEmpty() ? QStringLiteral(STATESCOPE_PYTHON) : python;
}

inline QString fixture(const QString& name)
{
    return fixtureDir() + QLatin1Char('/') + name;
}

// torch.__version__ of the oracle that wrote the fixtures (tests/fixtures/make_oracle_fixtures.sh).
inline QString oracleTorchVersion()
{
    QFile f(fixture(QStringLiteral("TORCH_VERSION")));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()).trimmed() : QString();
}

// A JSON object written by a fixture generator, by its path in the fixture folder (null object if absent).
inline QJsonObject fixtureJson(const QString& name)
{
    QFile f(fixture(name));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// The `<name>.expected.json` written beside a fixture by tests/fixtures/gen_*.py (null object if absent).
inline QJsonObject expected(const QString& name)
{
    return fixtureJson(name + QLatin1String(".expected.json"));
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

// Runs the oracle's real torch on a snippet; returns stdout, or fails the caller's QVERIFY via exitCode.
inline ProcessResult runPython(const QString& code, const QStringList& arguments = {})
{
    QProcess p;
    p.setProgram(pythonPath());
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
