#pragma once

#include <QSettings>

namespace statescope {

// The window's persistent settings. Named explicitly (organisation and application "StateScope") rather
// than taken from QCoreApplication, so tests and embedders that never set those names share one place;
// tests redirect it to a temporary folder with QSettings::setPath.
inline QSettings appSettings()
{
    return QSettings(QSettings::NativeFormat, QSettings::UserScope, QStringLiteral("StateScope"), QStringLiteral("StateScope"));
}

} // namespace statescope
