// Translations: the window comes up in the user's language (LANGUAGE=de from ctest's environment, a
// language setting for zh_CN), and the .ts files are complete for the sources as they are now: lupdate run
// over today's sources finds nothing untranslated, and every translation keeps its placeholders and
// accelerator.
#include "main_window.h"
#include "translations.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QMenuBar>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

using namespace statescope;

namespace {

struct TsMessage
{
    QString context;
    QString source;
    QStringList translations; // one, or the numerus forms
    QString type;             // "", "unfinished", "vanished", "obsolete"
};

QVector<TsMessage> readTs(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + QLatin1String(": cannot read");
        return {};
    }
    QVector<TsMessage> messages;
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage current;
    bool inTranslation = false;
    bool numerus = false;
    QString text;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == QLatin1String("name")) {
                context = xml.readElementText();
            } else if (name == QLatin1String("message")) {
                current = TsMessage{context, {}, {}, {}};
            } else if (name == QLatin1String("source")) {
                current.source = xml.readElementText();
            } else if (name == QLatin1String("translation")) {
                current.type = xml.attributes().value(QLatin1String("type")).toString();
                inTranslation = true;
                numerus = false;
                text.clear();
            } else if (name == QLatin1String("numerusform")) {
                numerus = true;
                current.translations << xml.readElementText();
            }
        } else if (xml.isCharacters() && inTranslation) {
            text += xml.text();
        } else if (xml.isEndElement() && xml.name() == QLatin1String("translation")) {
            if (!numerus)
                current.translations << text;
            inTranslation = false;
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            messages.push_back(current);
        }
    }
    if (xml.hasError())
        *error = path + QLatin1String(": ") + xml.errorString();
    return messages;
}

QStringList tsFiles()
{
    return QString::fromUtf8(STATESCOPE_TS_FILES).split(QLatin1Char('|'), Qt::SkipEmptyParts);
}

QString translationOf(const QString& tsFile, const QString& context, const QString& source)
{
    QString error;
    for (const TsMessage& m : readTs(tsFile, &error)) {
        if (m.context == context && m.source == source && !m.translations.isEmpty())
            return m.translations.first();
    }
    return QString();
}

QString tsFor(const QString& language)
{
    for (const QString& f : tsFiles()) {
        if (f.endsWith(QLatin1String("_") + language + QLatin1String(".ts")))
            return f;
    }
    return QString();
}

// The %1, %n, %L1 placeholders of a message, sorted.
QStringList placeholders(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral("%L?[0-9n]"));
    QStringList found;
    for (auto it = pattern.globalMatch(text); it.hasNext();)
        found << it.next().captured();
    found.sort();
    return found;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void germanFromTheEnvironment()
    {
        // ctest runs this suite with LANGUAGE=de (and LANG=C.UTF-8): the system locale path.
        QCOMPARE(qgetenv("LANGUAGE"), QByteArray("de"));
        QCOMPARE(installTranslations(*qApp, QString()), QStringLiteral("de"));
        MainWindow window;
        const QString expected = translationOf(tsFor(QStringLiteral("de")), QStringLiteral("statescope::MainWindow"),
                                               QStringLiteral("&File"));
        QVERIFY(!expected.isEmpty());
        QVERIFY(expected != QLatin1String("&File"));
        QCOMPARE(window.menuBar()->actions().first()->text(), expected);
    }

    void chineseFromTheSetting()
    {
        QCOMPARE(installTranslations(*qApp, QStringLiteral("zh_CN")), QStringLiteral("zh_CN"));
        MainWindow window; // the translator installed last is asked first
        const QString expected = translationOf(tsFor(QStringLiteral("zh_CN")), QStringLiteral("statescope::MainWindow"),
                                               QStringLiteral("&File"));
        QVERIFY(!expected.isEmpty());
        QCOMPARE(window.menuBar()->actions().first()->text(), expected);
    }

    void unknownLanguageStaysEnglish()
    {
        QCOMPARE(installTranslations(*qApp, QStringLiteral("xx")), QString());
    }

    void filesAreComplete_data()
    {
        QTest::addColumn<QString>("ts");
        QCOMPARE(tsFiles().size(), availableLanguages().size());
        for (const QString& f : tsFiles())
            QTest::newRow(qPrintable(QFileInfo(f).fileName())) << f;
    }
    void filesAreComplete()
    {
        QFETCH(QString, ts);
        QString error;
        const QVector<TsMessage> messages = readTs(ts, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(messages.size() > 50);
        for (const TsMessage& m : messages) {
            const QString where = m.context + QLatin1String(": ") + m.source;
            QVERIFY2(m.type.isEmpty(), qPrintable(where + QLatin1String(" is ") + m.type));
            QVERIFY2(!m.translations.isEmpty(), qPrintable(where + QLatin1String(" has no translation")));
            for (const QString& t : m.translations) {
                QVERIFY2(!t.trimmed().isEmpty(), qPrintable(where + QLatin1String(" has an empty translation")));
                // %n may be left out of a numerus form that names one thing; every other placeholder stays.
                QStringList wanted = placeholders(m.source);
                QStringList got = placeholders(t);
                if (m.translations.size() > 1 || m.source.contains(QLatin1String("%n"))) {
                    wanted.removeAll(QStringLiteral("%n"));
                    got.removeAll(QStringLiteral("%n"));
                }
                QVERIFY2(wanted == got, qPrintable(where + QLatin1String(" -> ") + t + QLatin1String(": placeholders differ")));
                // A menu accelerator in the source needs one in the translation (Chinese: "文件(&F)").
                static const QRegularExpression accelerator(QStringLiteral("&[^& ]"));
                if (m.source.contains(accelerator) && !m.source.contains(QLatin1String("&&")) &&
                    !m.source.contains(QLatin1Char('<')))
                    QVERIFY2(t.contains(accelerator), qPrintable(where + QLatin1String(" -> ") + t + QLatin1String(": no accelerator")));
            }
        }
    }

    void filesCoverTheCurrentSources_data() { filesAreComplete_data(); }
    void filesCoverTheCurrentSources()
    {
        // lupdate over today's sources into a copy: a string added without a translation shows up unfinished.
        QFETCH(QString, ts);
        QTemporaryDir dir;
        const QString copy = dir.filePath(QFileInfo(ts).fileName());
        QVERIFY(QFile::copy(ts, copy));
        QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
        QProcess lupdate;
        QStringList arguments{QStringLiteral("-no-obsolete"), QStringLiteral("-locations"), QStringLiteral("none")};
        arguments += QString::fromUtf8(STATESCOPE_TRANSLATED_DIRS).split(QLatin1Char('|'), Qt::SkipEmptyParts);
        arguments << QStringLiteral("-ts") << copy;
        lupdate.start(QStringLiteral(STATESCOPE_LUPDATE), arguments);
        QVERIFY(lupdate.waitForFinished(120000));
        QVERIFY2(lupdate.exitCode() == 0, lupdate.readAllStandardError().constData());
        QString error;
        QStringList untranslated;
        for (const TsMessage& m : readTs(copy, &error)) {
            if (!m.type.isEmpty())
                untranslated << m.context + QLatin1String(": ") + m.source;
        }
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(untranslated.isEmpty(),
                 qPrintable(QString::number(untranslated.size()) + QLatin1String(" untranslated, e.g. ") + untranslated.value(0) +
                            QLatin1String(" (run the update_translations target and translate)")));
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
