#include "translations.h"

#include "settings.h"

#include <QActionGroup>
#include <QCoreApplication>
#include <QLibraryInfo>
#include <QMenu>
#include <QMessageBox>
#include <QLocale>
#include <QTranslator>

namespace statescope {

namespace {
const QString kLanguageKey = QStringLiteral("ui/language");
}

QStringList availableLanguages()
{
    return {QStringLiteral("de"), QStringLiteral("zh_CN")};
}

QString installTranslations(QCoreApplication& app, const QString& language)
{
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    // QTranslator::load walks locale.uiLanguages() (which on Linux honours LANGUAGE's list) and takes the
    // first match, so "de_AT" finds statescope_de.qm.
    auto* ours = new QTranslator(&app);
    if (!ours->load(locale, QStringLiteral("statescope"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        delete ours;
        return QString();
    }
    app.installTranslator(ours);
    // Qt's own strings (QDialogButtonBox "Cancel", file dialogs); optional: qt6-translations-l10n provides them.
    auto* qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app.installTranslator(qt);
    else
        delete qt;
    return ours->language();
}

QString languageSetting()
{
    return appSettings().value(kLanguageKey).toString();
}

void setLanguageSetting(const QString& language)
{
    appSettings().setValue(kLanguageKey, language);
}

namespace {

// Menu strings live in a QObject context so lupdate files them under one name.
class LanguageMenu : public QObject
{
    Q_OBJECT
public:
    static void add(QMenu* parent)
    {
        QMenu* menu = parent->addMenu(tr("&Language"));
        auto* group = new QActionGroup(menu);
        const QString current = languageSetting();
        auto addChoice = [&](const QString& text, const QString& language) {
            QAction* action = menu->addAction(text);
            action->setCheckable(true);
            action->setChecked(language == current);
            group->addAction(action);
            QObject::connect(action, &QAction::triggered, menu, [menu, text, language] {
                setLanguageSetting(language);
                QMessageBox::information(menu->window(), tr("Language"),
                                         tr("StateScope will use %1 from the next start.").arg(text));
            });
        };
        addChoice(tr("System default"), QString());
        // English is the source language: a name no translation file matches keeps the built-in strings.
        addChoice(QStringLiteral("English"), QStringLiteral("en"));
        for (const QString& language : availableLanguages())
            addChoice(QLocale(language).nativeLanguageName(), language);
    }
};

} // namespace

void addLanguageMenu(QMenu* parent)
{
    LanguageMenu::add(parent);
}

} // namespace statescope

#include "translations.moc"
