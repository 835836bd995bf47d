#include "load_rules.h"

#include <QRegularExpression>

namespace statescope {

std::optional<LoadRules> loadRulesForTorchVersion(const QString& version)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d+)\\.(\\d+)(\\.\\d+)?([a-z0-9.+]*)$"));
    const QRegularExpressionMatch match = pattern.match(version.trimmed());
    if (!match.hasMatch())
        return std::nullopt;
    const int major = match.captured(1).toInt();
    const int minor = match.captured(2).toInt();
    if (major < 2 || (major == 2 && minor < 4))
        return LoadRules::Torch113;
    if (major == 2 && minor < 10)
        return LoadRules::Torch24;
    return LoadRules::Current;
}

} // namespace statescope
