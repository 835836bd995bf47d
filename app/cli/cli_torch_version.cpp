#include "cli_torch_version.h"

#include "cli_output.h"

#include <QCommandLineParser>

namespace statescope {

QCommandLineOption torchVersionOption()
{
    return QCommandLineOption(
        QStringLiteral("torch-version"),
        QStringLiteral("Follow the load_state_dict of this torch (e.g. 1.13, 2.6, 2.13; default: torch 2.10 and "
                       "later). 1.x to 2.9 take source[0] of any 1-D tensor for a 0-dim parameter; 1.x to 2.3 also "
                       "report fewer unexpected keys."),
        QStringLiteral("VERSION"));
}

std::optional<LoadRules> loadRulesOption(const QCommandLineParser& parser, const QCommandLineOption& option)
{
    if (!parser.isSet(option))
        return LoadRules::Current;
    const std::optional<LoadRules> rules = loadRulesForTorchVersion(parser.value(option));
    if (!rules)
        fail(QStringLiteral("--torch-version takes a torch version such as 1.13 or 2.13, not '") +
             parser.value(option) + QLatin1Char('\''));
    return rules;
}

} // namespace statescope
