#include "cli/cli.h"
#include "main_window.h"
#include "translations.h"

#include <QApplication>
#include <QCoreApplication>

int main(int argc, char* argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    // Headless commands never touch a display: a QCoreApplication is enough and starts in milliseconds.
    if (statescope::isCliInvocation(arguments)) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("statescope"));
        QCoreApplication::setApplicationVersion(QStringLiteral(STATESCOPE_VERSION));
        return statescope::runCli(arguments);
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("StateScope"));
    QApplication::setOrganizationName(QStringLiteral("StateScope"));
    QApplication::setApplicationVersion(QStringLiteral(STATESCOPE_VERSION));
    // Wayland compositors find the window's icon and name through the installed desktop entry.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.statescope.StateScope"));
    // The GUI speaks the user's language; the headless commands above keep CLI.md's English contract.
    statescope::installTranslations(app, statescope::languageSetting());
    return statescope::runMainWindow(app);
}
