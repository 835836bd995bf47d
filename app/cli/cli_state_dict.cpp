#include "cli_state_dict.h"

#include <QCommandLineParser>

namespace statescope {

StateDict selectByOption(const Checkpoint& checkpoint, const QCommandLineParser& parser, const QCommandLineOption& option)
{
    if (!parser.isSet(option))
        return selectStateDict(checkpoint, QString());
    const QString path = parser.value(option);
    return selectStateDict(checkpoint, path.isNull() ? QStringLiteral("") : path);
}

} // namespace statescope
