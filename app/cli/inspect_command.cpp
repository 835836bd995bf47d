#include "inspect_command.h"

#include "checkpoint/checkpoint.h"
#include "checkpoint/inspect_report.h"
#include "checkpoint/state_dict.h"
#include "cli_output.h"
#include "formats/checkpoint_loader.h"
#include "formats/format_error.h"

#include <QCommandLineParser>

namespace statescope {

int runInspect(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Lists the tensors of a checkpoint without running its pickle."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("torch.save archive (zip or legacy), safetensors, TorchScript or *.index.json"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print the JSON of CLI.md instead of text."));
    const QCommandLineOption stateDict(QStringLiteral("state-dict"),
                                       QStringLiteral("State dict inside a container, components joined by '/' (\"\" = root)."),
                                       QStringLiteral("PATH"));
    parser.addOption(json);
    parser.addOption(stateDict);
    if (const int status = parseArguments(parser, arguments); status >= 0)
        return status;
    const QStringList files = parser.positionalArguments();
    if (files.size() != 1)
        return fail(QStringLiteral("inspect takes exactly one FILE (see statescope inspect --help)"));

    try {
        const auto checkpoint = openCheckpoint(files.front());
        keepUntilExit(checkpoint);
        const QVector<StateDict> candidates = findStateDicts(*checkpoint);
        // An explicit --state-dict "" means the root; no option means the best candidate.
        const QString path = parser.isSet(stateDict) ? parser.value(stateDict) : QString();
        const StateDict selected = selectStateDict(*checkpoint, parser.isSet(stateDict) && path.isNull() ? QStringLiteral("") : path);
        if (parser.isSet(json))
            printUtf8(inspectJson(*checkpoint, candidates, selected));
        else
            printOut(inspectText(*checkpoint, candidates, selected));
        return 0;
    } catch (const FormatError& e) {
        return fail(e.message());
    } catch (const std::bad_alloc&) {
        return fail(files.front() + QLatin1String(": out of memory while reading"));
    }
}

} // namespace statescope
