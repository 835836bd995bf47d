#pragma once

#include <QString>
#include <QStringList>

class QCoreApplication;
class QMenu;

namespace statescope {

// The languages StateScope's own strings are translated into (besides English, the source language).
QStringList availableLanguages();

// Installs the translators of the user's language: StateScope's own (compiled into the binary from
// translations/*.ts) and Qt's for standard dialogs and buttons when the system has them. `language` is a
// locale name such as "de" or "zh_CN"; empty follows the system (LANGUAGE, LC_ALL, LC_MESSAGES, LANG).
// Returns the language loaded, or an empty string when the UI stays in English.
QString installTranslations(QCoreApplication& app, const QString& language);

// The language chosen in the settings ("" = the system's).
QString languageSetting();
void setLanguageSetting(const QString& language);

// Adds Language > System default / English / Deutsch / 简体中文 to `parent`: the choice is saved in the settings
// and takes effect at the next start (every string is built once, so switching live would leave stale ones).
void addLanguageMenu(QMenu* parent);

} // namespace statescope
