#include "cli.h"

#include "cli_output.h"
#include "diff_command.h"
#include "inspect_command.h"
#include "suggest_command.h"

#include <QCoreApplication>

namespace statescope {

namespace {

QString usage()
{
    return QStringLiteral(
        "Usage:\n"
        "  statescope [SOURCE [TARGET]] [--select KEY] [--demo]   open the desktop inspector\n"
        "  statescope inspect FILE [--json] [--state-dict PATH]   list a checkpoint's tensors\n"
        "  statescope diff SOURCE TARGET [--json] [--values] [--atol A] [--rtol R]\n"
        "                  [--source-dict PATH] [--target-dict PATH] [--rules RULES] [--model-name NAME]\n"
        "                                                         would TARGET's model load SOURCE (strict=True)?\n"
        "  statescope suggest SOURCE TARGET [--source-dict PATH] [--target-dict PATH] [--python]\n"
        "                                                         rules that make SOURCE load into TARGET\n"
        "\n"
        "FILE: a torch.save archive (zip or legacy), a safetensors file, a TorchScript archive or a\n"
        "*.index.json of shards; the format is read from the bytes. Nothing in the file is ever executed.\n"
        "Exit status: 0 done, 2 error (one line on stderr starting 'statescope: ').\n"
        "Run 'statescope COMMAND --help' for the options of a command.\n");
}

} // namespace

bool isCliInvocation(const QStringList& arguments)
{
    if (arguments.size() < 2)
        return false;
    const QString& first = arguments.at(1);
    return first == QLatin1String("inspect") || first == QLatin1String("diff") || first == QLatin1String("suggest") || first == QLatin1String("--help") ||
           first == QLatin1String("-h") || first == QLatin1String("--version") || first == QLatin1String("help");
}

int runCli(const QStringList& arguments)
{
    const QString command = arguments.value(1);
    QStringList rest = arguments.mid(2);
    rest.prepend(arguments.value(0) + QLatin1Char(' ') + command);
    if (command == QLatin1String("inspect"))
        return runInspect(rest);
    if (command == QLatin1String("diff"))
        return runDiff(rest);
    if (command == QLatin1String("suggest"))
        return runSuggest(rest);
    if (command == QLatin1String("--version")) {
        printOut(QLatin1String("statescope ") + QCoreApplication::applicationVersion() + QLatin1Char('\n'));
        return 0;
    }
    printOut(usage());
    return 0;
}

} // namespace statescope
