#include "cli.h"

#include "cli_output.h"
#include "diff_command.h"
#include "fix_command.h"
#include "inspect_command.h"
#include "suggest_command.h"

#include <QCoreApplication>
#include <QHash>

namespace statescope {

namespace {

QString usage()
{
    return QStringLiteral(
        "Usage:\n"
        "  statescope [SOURCE [TARGET]] [--select KEY] [--rules RULES] [--compare-values] [--demo]\n"
        "                                                         open the desktop inspector\n"
        "  statescope inspect FILE [--json] [--state-dict PATH]   list a checkpoint's tensors\n"
        "  statescope diff SOURCE TARGET [--json | --format text|json|gnu] [--values] [--atol A] [--rtol R]\n"
        "                  [--source-dict PATH] [--target-dict PATH] [--rules RULES] [--model-name NAME]\n"
        "                                                         would TARGET's model load SOURCE (strict=True)?\n"
        "  statescope suggest SOURCE TARGET [--source-dict PATH] [--target-dict PATH] [--python]\n"
        "                                                         rules that make SOURCE load into TARGET\n"
        "  statescope fix SOURCE --target TARGET (--rules RULES | --auto) -o OUT\n"
        "                 [--format torch|safetensors] [--state-dict-only] [--save-rules RULES] [--force]\n"
        "                                                         write a repaired checkpoint\n"
        "\n"
        "FILE: a torch.save archive (zip or legacy), a safetensors file, a TorchScript archive or a\n"
        "*.index.json of shards; the format is read from the bytes. Nothing in the file is ever executed.\n"
        "Exit status: 0 done (loadable), 1 would not load (diff, fix), 2 error (one line on stderr starting\n"
        "'statescope: '). Run 'statescope COMMAND --help' for the options of a command.\n");
}

using Command = int (*)(const QStringList&);

const QHash<QString, Command>& commands()
{
    static const QHash<QString, Command> table{
        {QStringLiteral("inspect"), runInspect},
        {QStringLiteral("diff"), runDiff},
        {QStringLiteral("suggest"), runSuggest},
        {QStringLiteral("fix"), runFix},
    };
    return table;
}

} // namespace

bool isCliInvocation(const QStringList& arguments)
{
    if (arguments.size() < 2)
        return false;
    const QString& first = arguments.at(1);
    return commands().contains(first) || first == QLatin1String("--help") || first == QLatin1String("-h") ||
           first == QLatin1String("--version") || first == QLatin1String("help");
}

int runCli(const QStringList& arguments)
{
    const QString command = arguments.value(1);
    QStringList rest = arguments.mid(2);
    rest.prepend(arguments.value(0) + QLatin1Char(' ') + command);
    if (const Command run = commands().value(command))
        return run(rest);
    if (command == QLatin1String("--version")) {
        printOut(QLatin1String("statescope ") + QCoreApplication::applicationVersion() + QLatin1Char('\n'));
        return 0;
    }
    printOut(usage());
    return 0;
}

} // namespace statescope
