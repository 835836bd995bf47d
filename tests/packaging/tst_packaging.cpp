// The Debian package as a user gets it: built by cpack from this build tree, unpacked with dpkg -x into a
// temporary root, its desktop files checked by the desktop's own validators, its MIME rules loaded into a
// MIME database, and its statescope run from the unpacked root (finding its own LibTorch plugin there).

#include "support/fixtures.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeDatabase>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace statescope::test;

namespace {

const QString kAppId = QStringLiteral(STATESCOPE_APP_ID);

ProcessResult run(const QString& program, const QStringList& arguments,
                  const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment(),
                  int timeoutMs = 240000)
{
    QProcess p;
    p.setProgram(program);
    p.setArguments(arguments);
    p.setProcessEnvironment(environment);
    p.start();
    if (!p.waitForStarted())
        return {-1, {}, QByteArray("cannot start ") + program.toUtf8()};
    p.waitForFinished(timeoutMs);
    ProcessResult r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QByteArray describe(const ProcessResult& r)
{
    return "exit " + QByteArray::number(r.exitCode) + "\nstdout: " + r.out + "\nstderr: " + r.err.right(4000);
}

// A key of a desktop entry's [Desktop Entry] group, read as the spec says (QSettings would take ';' and
// '%' for its own syntax).
QString desktopValue(const QString& path, const QString& key)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    bool inGroup = false;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.startsWith(QLatin1Char('[')))
            inGroup = line == QLatin1String("[Desktop Entry]");
        else if (inGroup && line.section(QLatin1Char('='), 0, 0).trimmed() == key)
            return line.section(QLatin1Char('='), 1).trimmed();
    }
    return {};
}

QStringList stringList(const QJsonValue& value)
{
    QStringList list;
    for (const QJsonValue& v : value.toArray())
        list << v.toString();
    return list;
}

} // namespace

class TestPackaging : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void layout_data();
    void layout();
    void icons_data();
    void icons();
    void desktopEntryValidates();
    void metainfoValidates();
    void manPageRenders();
    void mimeXmlWellFormed();
    void mimeDetection_data();
    void mimeDetection();
    void mimeSubclasses();
    void control();
    void dependsCoverLinkedLibraries_data();
    void dependsCoverLinkedLibraries();
    void noMaintainerScripts();
    void noRunpath_data();
    void noRunpath();
    void installedInspect_data();
    void installedInspect();
#ifdef STATESCOPE_HAVE_TORCH_PLUGIN
    void installedPluginComesFromTheRoot();
#endif

private:
    QString root(const QString& relative) const { return m_root + QLatin1Char('/') + relative; }
    QString desktopFile() const { return root(QLatin1String("usr/share/applications/") + kAppId + QLatin1String(".desktop")); }
    QString metainfoFile() const { return root(QLatin1String("usr/share/metainfo/") + kAppId + QLatin1String(".metainfo.xml")); }
    QString mimeFile() const { return root(QStringLiteral("usr/share/mime/packages/statescope.xml")); }
    QString installedBinary() const { return root(QStringLiteral("usr/bin/statescope")); }
    QString installedPlugin() const
    {
        return root(QLatin1String("usr/" STATESCOPE_PLUGIN_SUBDIR "/libstatescope_torch.so"));
    }
    // Runs the unpacked executable with nothing pointing it at the build tree.
    ProcessResult runInstalled(const QStringList& arguments, const QString& ldDebug = QString()) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("STATESCOPE_PLUGIN_DIR"));
        env.remove(QStringLiteral("LD_LIBRARY_PATH"));
        if (!ldDebug.isEmpty())
            env.insert(QStringLiteral("LD_DEBUG"), ldDebug);
        return run(installedBinary(), arguments, env);
    }

    QTemporaryDir m_work;
    QString m_deb;
    QString m_root;
    QString m_copies; // fixtures under other names, for detection by content
};

void TestPackaging::initTestCase()
{
    QVERIFY(m_work.isValid());
    QVERIFY2(QFileInfo::exists(fixture(QStringLiteral("packaging/checkpoint.pt"))),
             "packaging fixtures missing: run tests/fixtures/make_fixtures.py");
    // The MIME database Qt reads: ours only in a private XDG_DATA_HOME, set before the first QMimeDatabase.
    const QString xdg = m_work.filePath(QStringLiteral("xdg"));
    qputenv("XDG_DATA_HOME", QFile::encodeName(xdg));

    // The package, as `cpack -G DEB` in the build directory makes it (a private output folder, so parallel
    // runs and the build tree's own _CPack_Packages stay apart).
    const QString out = m_work.filePath(QStringLiteral("deb"));
    const ProcessResult cpack =
        run(QStringLiteral(STATESCOPE_CPACK),
            {QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("--config"),
             QLatin1String(STATESCOPE_BUILD_DIR "/CPackConfig.cmake"), QStringLiteral("-B"), out});
    QVERIFY2(cpack.exitCode == 0, describe(cpack).constData());
    const QStringList debs = QDir(out).entryList({QStringLiteral("statescope_*.deb")}, QDir::Files);
    QVERIFY2(debs.size() == 1, qPrintable(debs.join(QLatin1Char(' '))));
    m_deb = QDir(out).filePath(debs.front());

    m_root = m_work.filePath(QStringLiteral("root"));
    const ProcessResult unpack = run(QStringLiteral("dpkg"), {QStringLiteral("-x"), m_deb, m_root});
    QVERIFY2(unpack.exitCode == 0, describe(unpack).constData());

    QVERIFY(QDir().mkpath(xdg + QLatin1String("/mime/packages")));
    QVERIFY(QFile::copy(mimeFile(), xdg + QLatin1String("/mime/packages/statescope.xml")));
    const ProcessResult update = run(QStringLiteral("update-mime-database"), {xdg + QLatin1String("/mime")});
    // update-mime-database reports XML it does not understand on stderr but still exits 0.
    QVERIFY2(update.exitCode == 0 && update.err.isEmpty(), describe(update).constData());
    QVERIFY(QFileInfo::exists(xdg + QLatin1String("/mime/mime.cache")));

    m_copies = m_work.filePath(QStringLiteral("copies"));
    QVERIFY(QDir().mkpath(m_copies));
}

void TestPackaging::layout_data()
{
    QTest::addColumn<QString>("path");
    const QStringList files{
        QStringLiteral("usr/bin/statescope"),
        QLatin1String("usr/share/applications/") + kAppId + QLatin1String(".desktop"),
        QLatin1String("usr/share/metainfo/") + kAppId + QLatin1String(".metainfo.xml"),
        QStringLiteral("usr/share/mime/packages/statescope.xml"),
        QStringLiteral("usr/share/man/man1/statescope.1"),
        QLatin1String("usr/share/icons/hicolor/scalable/apps/") + kAppId + QLatin1String(".svg"),
#ifdef STATESCOPE_HAVE_TORCH_PLUGIN
        QStringLiteral("usr/" STATESCOPE_PLUGIN_SUBDIR "/libstatescope_torch.so"),
#endif
    };
    for (const QString& f : files)
        QTest::newRow(qPrintable(f)) << f;
}

void TestPackaging::layout()
{
    QFETCH(QString, path);
    const QFileInfo info(root(path));
    QVERIFY2(info.isFile() && info.size() > 0, qPrintable(info.filePath()));
    if (path.startsWith(QLatin1String("usr/bin/")))
        QVERIFY(info.isExecutable());
}

void TestPackaging::icons_data()
{
    QTest::addColumn<int>("size");
    for (int size : {16, 32, 48, 64, 128, 256})
        QTest::newRow(qPrintable(QString::number(size))) << size;
}

void TestPackaging::icons()
{
    QFETCH(int, size);
    const QString path = root(QStringLiteral("usr/share/icons/hicolor/%1x%1/apps/").arg(size) + kAppId +
                              QLatin1String(".png"));
    const QImage image(path);
    QVERIFY2(!image.isNull(), qPrintable(path));
    QCOMPARE(image.size(), QSize(size, size));
    // Rendered from the SVG, not blank: the transparent corners and the opaque panes both exist.
    QCOMPARE(qAlpha(image.pixel(0, 0)), 0);
    QCOMPARE(qAlpha(image.pixel(size / 2, size / 2)), 255);
}

void TestPackaging::desktopEntryValidates()
{
    const ProcessResult r = run(QStringLiteral("desktop-file-validate"), {desktopFile()});
    // Not even a hint: the validator prints nothing for a clean file.
    QVERIFY2(r.exitCode == 0 && r.out.isEmpty() && r.err.isEmpty(), describe(r).constData());
    QCOMPARE(desktopValue(desktopFile(), QStringLiteral("Exec")), QStringLiteral("statescope %F"));
    QCOMPARE(desktopValue(desktopFile(), QStringLiteral("Icon")), kAppId);
}

void TestPackaging::metainfoValidates()
{
    const ProcessResult file = run(QStringLiteral("appstreamcli"),
                                   {QStringLiteral("validate"), QStringLiteral("--no-net"), metainfoFile()});
    QVERIFY2(file.exitCode == 0, describe(file).constData());
    // The tree as a software centre sees it: metainfo, its launchable desktop entry and the icon together.
    const ProcessResult tree = run(QStringLiteral("appstreamcli"),
                                   {QStringLiteral("validate-tree"), QStringLiteral("--no-net"), root(QStringLiteral("usr"))});
    QVERIFY2(tree.exitCode == 0, describe(tree).constData());
}

void TestPackaging::manPageRenders()
{
    const QString page = root(QStringLiteral("usr/share/man/man1/statescope.1"));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    // -ww: every groff warning; -z: no output. A clean page prints nothing.
    const ProcessResult lint = run(QStringLiteral("groff"),
                                   {QStringLiteral("-man"), QStringLiteral("-Tutf8"), QStringLiteral("-ww"),
                                    QStringLiteral("-z"), page}, env);
    QVERIFY2(lint.exitCode == 0 && lint.err.isEmpty(), describe(lint).constData());
    const ProcessResult text = run(QStringLiteral("groff"),
                                   {QStringLiteral("-man"), QStringLiteral("-Tutf8"), page}, env);
    QCOMPARE(text.exitCode, 0);
    const QString rendered = QString::fromUtf8(text.out).remove(QRegularExpression(QStringLiteral(".\b")));
    for (const char* section : {"SYNOPSIS", "EXIT STATUS", "EXAMPLES", "FILES", "SECURITY",
                                "statescope inspect", "statescope diff", "statescope suggest", "statescope fix",
                                "--format text|json|gnu", "--select KEY"})
        QVERIFY2(rendered.contains(QLatin1String(section)), section);
}

void TestPackaging::mimeXmlWellFormed()
{
    QFile file(mimeFile());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    QStringList types;
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("mime-type"))
            types << xml.attributes().value(QLatin1String("type")).toString();
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(types, (QStringList{QStringLiteral("application/x-pytorch-checkpoint"),
                                 QStringLiteral("application/x-pytorch-legacy-checkpoint"),
                                 QStringLiteral("application/x-safetensors")}));
    // The desktop entry offers StateScope for exactly these types.
    const QStringList offered =
        desktopValue(desktopFile(), QStringLiteral("MimeType")).split(QLatin1Char(';'), Qt::SkipEmptyParts);
    QCOMPARE(offered, types);
}

void TestPackaging::mimeDetection_data()
{
    QTest::addColumn<QString>("fixtureName");
    QTest::addColumn<QString>("fileName"); // the name the copy gets ("" = the fixture's own)
    QTest::addColumn<QString>("type");
    const QString zip = QStringLiteral("application/x-pytorch-checkpoint");
    const QString legacy = QStringLiteral("application/x-pytorch-legacy-checkpoint");
    const QString safetensors = QStringLiteral("application/x-safetensors");
    // By name: *.pt is claimed by both torch types, so the magic decides between them.
    QTest::newRow("torch.save zip .pt") << "packaging/checkpoint.pt" << "" << zip;
    QTest::newRow("legacy .pt") << "packaging/legacy.pt" << "" << legacy;
    QTest::newRow("legacy protocol 4 .pt") << "packaging/legacy_p4.pt" << "" << legacy;
    QTest::newRow("TorchScript .pt") << "packaging/scripted.pt" << "" << zip;
    QTest::newRow("zip as .pth") << "packaging/checkpoint.pt" << "model.pth" << zip;
    QTest::newRow("legacy as .ckpt") << "packaging/legacy.pt" << "epoch=3.ckpt" << legacy;
    QTest::newRow("zip as pytorch_model.bin") << "packaging/checkpoint.pt" << "pytorch_model.bin" << zip;
    QTest::newRow("safetensors") << "safetensors/resnet18.safetensors" << "" << safetensors;
    // By content alone: no extension, or one that says nothing. (A torch zip without a torch name is not in
    // this list: Qt 6.4's QMimeDatabase answers application/zip for it whatever our rule's priority, so it
    // cannot tell whether the rule works.)
    QTest::newRow("legacy, no extension") << "packaging/legacy.pt" << "weights_legacy" << legacy;
    QTest::newRow("legacy p4, no extension") << "packaging/legacy_p4.pt" << "weights_legacy4" << legacy;
    QTest::newRow("safetensors, no extension") << "safetensors/resnet18.safetensors" << "tensors" << safetensors;
    // An ordinary zip with a checkpoint's record name stays a zip; so does one called .bin.
    QTest::newRow("plain zip") << "packaging/plain.zip" << "" << "application/zip";
    QTest::newRow("plain zip, no extension") << "packaging/plain.zip" << "archive" << "application/zip";
}

void TestPackaging::mimeDetection()
{
    QFETCH(QString, fixtureName);
    QFETCH(QString, fileName);
    QFETCH(QString, type);
    QString path = fixture(fixtureName);
    QVERIFY2(QFileInfo::exists(path), qPrintable(path));
    if (!fileName.isEmpty()) {
        const QString copy = m_copies + QLatin1Char('/') + fileName;
        QFile::remove(copy);
        QVERIFY(QFile::copy(path, copy));
        path = copy;
    }
    QMimeDatabase db;
    QCOMPARE(db.mimeTypeForFile(path).name(), type);
}

void TestPackaging::mimeSubclasses()
{
    QMimeDatabase db;
    const QMimeType zip = db.mimeTypeForName(QStringLiteral("application/x-pytorch-checkpoint"));
    QVERIFY(zip.isValid());
    QVERIFY(zip.inherits(QStringLiteral("application/zip")));
    QCOMPARE(zip.comment(), QStringLiteral("PyTorch checkpoint"));
    const QMimeType legacy = db.mimeTypeForName(QStringLiteral("application/x-pytorch-legacy-checkpoint"));
    QVERIFY(legacy.isValid());
    QVERIFY(!legacy.inherits(QStringLiteral("application/zip")));
    QVERIFY(db.mimeTypeForName(QStringLiteral("application/x-safetensors")).isValid());
}

void TestPackaging::control()
{
    const ProcessResult r = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-f"), m_deb, QStringLiteral("Package"),
                                                             QStringLiteral("Architecture"), QStringLiteral("Depends")});
    QVERIFY2(r.exitCode == 0, describe(r).constData());
    const QString fields = QString::fromUtf8(r.out);
    QVERIFY2(fields.contains(QLatin1String("Package: statescope\n")), qPrintable(fields));
    QVERIFY2(fields.contains(QLatin1String("Architecture: amd64\n")) ||
                 fields.contains(QLatin1String("Architecture: arm64\n")),
             qPrintable(fields));
    // The run-time packages every build needs, whatever dpkg-shlibdeps adds besides.
    QStringList needed{QStringLiteral("libc6"), QStringLiteral("libstdc++6"), QStringLiteral("libqt6core6"),
                       QStringLiteral("libqt6gui6"), QStringLiteral("libqt6widgets6"), QStringLiteral("libminizip1")};
#ifdef STATESCOPE_HAVE_TORCH_PLUGIN
    needed << QStringLiteral("libtorch1.13");
#endif
    for (const QString& package : needed)
        QVERIFY2(fields.contains(QRegularExpression(QLatin1String("[ ,]") + QRegularExpression::escape(package) +
                                                    QLatin1String("( \\(|,|\\n|$)"))),
                 qPrintable(package + QLatin1String(" not in ") + fields));
}

void TestPackaging::dependsCoverLinkedLibraries_data()
{
    // Every shared library an installed ELF file needs comes from a package the .deb depends on: read the
    // NEEDED entries, ask dpkg which package ships each, and look that package up in Depends.
    QTest::addColumn<QString>("elf");
    QTest::newRow("statescope") << QStringLiteral("usr/bin/statescope");
#ifdef STATESCOPE_HAVE_TORCH_PLUGIN
    QTest::newRow("plugin") << QStringLiteral("usr/" STATESCOPE_PLUGIN_SUBDIR "/libstatescope_torch.so");
#endif
}

void TestPackaging::dependsCoverLinkedLibraries()
{
    QFETCH(QString, elf);
    const ProcessResult depends = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-f"), m_deb, QStringLiteral("Depends")});
    QCOMPARE(depends.exitCode, 0);
    const QString dependsText = QString::fromUtf8(depends.out);
    const ProcessResult dynamic = run(QStringLiteral("readelf"), {QStringLiteral("-d"), root(elf)});
    QVERIFY2(dynamic.exitCode == 0, describe(dynamic).constData());
    const QRegularExpression neededLine(QStringLiteral("\\(NEEDED\\)\\s+Shared library: \\[([^\\]]+)\\]"));
    int checked = 0;
    for (auto it = neededLine.globalMatch(QString::fromUtf8(dynamic.out)); it.hasNext();) {
        const QString soname = it.next().captured(1);
        const ProcessResult owner = run(QStringLiteral("dpkg"), {QStringLiteral("-S"), QLatin1String("*/") + soname});
        QVERIFY2(owner.exitCode == 0, describe(owner).constData());
        // "libqt6core6:amd64: /usr/lib/x86_64-linux-gnu/libQt6Core.so.6": any of the owners will do.
        bool covered = false;
        for (const QString& line : QString::fromUtf8(owner.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            const QString package = line.section(QLatin1Char(':'), 0, 0).section(QLatin1Char(','), 0, 0).trimmed();
            if (dependsText.contains(QRegularExpression(QLatin1String("(^|[ ,])") + QRegularExpression::escape(package) +
                                                        QLatin1String("( \\(|,|\\n|$)"))))
                covered = true;
        }
        QVERIFY2(covered, qPrintable(soname + QLatin1String(" (") + QString::fromUtf8(owner.out).trimmed() +
                                     QLatin1String(") is not covered by Depends: ") + dependsText));
        ++checked;
    }
    QVERIFY(checked > 0);
}

void TestPackaging::noMaintainerScripts()
{
    const QString control = m_work.filePath(QStringLiteral("control"));
    const ProcessResult r = run(QStringLiteral("dpkg-deb"), {QStringLiteral("--control"), m_deb, control});
    QVERIFY2(r.exitCode == 0, describe(r).constData());
    // dpkg's triggers (desktop-file-utils, shared-mime-info, hicolor-icon-theme) update every cache. The one
    // script CPack writes by itself: an ldconfig call when a shared object sits in a folder right under
    // /usr/lib (the plugin's lib/statescope when the build was not configured with the /usr prefix, whose
    // multiarch libdir avoids it). Anything beyond that is a maintainer script we did not want.
    for (const char* name : {"preinst", "postinst", "prerm", "postrm", "config"}) {
        QFile script(control + QLatin1Char('/') + QLatin1String(name));
        if (!script.exists())
            continue;
        QVERIFY(script.open(QIODevice::ReadOnly | QIODevice::Text));
        QStringList commands;
        for (const QString& line : QString::fromUtf8(script.readAll()).split(QLatin1Char('\n'))) {
            const QString t = line.trimmed();
            if (t.isEmpty() || t.startsWith(QLatin1Char('#')) || t == QLatin1String("set -e") ||
                t.startsWith(QLatin1String("if [ \"$1\" = ")) || t == QLatin1String("fi"))
                continue;
            commands << t;
        }
        QVERIFY2(commands == QStringList{QStringLiteral("ldconfig")}, qPrintable(commands.join(QLatin1Char('\n'))));
    }
}

void TestPackaging::noRunpath_data()
{
    dependsCoverLinkedLibraries_data();
}

void TestPackaging::noRunpath()
{
    QFETCH(QString, elf);
    // Everything it links lives in the system's library folders; a RUNPATH would point into this build tree.
    const ProcessResult r = run(QStringLiteral("readelf"), {QStringLiteral("-d"), root(elf)});
    QVERIFY2(r.exitCode == 0, describe(r).constData());
    QVERIFY2(!r.out.contains("(RUNPATH)") && !r.out.contains("(RPATH)"), r.out.constData());
}

void TestPackaging::installedInspect_data()
{
    QTest::addColumn<QString>("fixtureName");
    QTest::newRow("torch.save zip") << QStringLiteral("packaging/checkpoint.pt");
    QTest::newRow("legacy") << QStringLiteral("packaging/legacy.pt");
#ifdef STATESCOPE_HAVE_TORCH_PLUGIN
    // TorchScript needs the LibTorch plugin: found from the unpacked layout or not at all.
    QTest::newRow("TorchScript") << QStringLiteral("packaging/scripted.pt");
#endif
}

void TestPackaging::installedInspect()
{
    QFETCH(QString, fixtureName);
    const ProcessResult r = runInstalled({QStringLiteral("inspect"), fixture(fixtureName), QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, describe(r).constData());
    const QJsonObject out = QJsonDocument::fromJson(r.out).object();
    const QJsonObject torch = expected(fixtureName);
    QCOMPARE(out.value(QLatin1String("format")).toString(), torch.value(QLatin1String("format")).toString());
    QStringList keys;
    for (const QJsonValue& t : out.value(QLatin1String("tensors")).toArray())
        keys << t.toObject().value(QLatin1String("key")).toString();
    QCOMPARE(keys, stringList(torch.value(QLatin1String("keys"))));
}

#ifdef STATESCOPE_HAVE_TORCH_PLUGIN
void TestPackaging::installedPluginComesFromTheRoot()
{
    // The dynamic loader names every file it maps: the plugin must be the unpacked one, not the build tree's
    // or one installed on this machine.
    const ProcessResult r = runInstalled({QStringLiteral("inspect"), fixture(QStringLiteral("packaging/scripted.pt"))},
                                         QStringLiteral("files"));
    QVERIFY2(r.exitCode == 0, describe(r).constData());
    const QString plugin = QFileInfo(installedPlugin()).canonicalFilePath();
    QVERIFY(!plugin.isEmpty());
    const QByteArray loaded = QByteArray("file=") + plugin.toUtf8() + QByteArray(" ");
    QVERIFY2(r.err.contains(loaded), r.err.right(2000).constData());
    QVERIFY(!r.err.contains(QByteArray("file=" STATESCOPE_BUILD_DIR)));
}
#endif

QTEST_GUILESS_MAIN(TestPackaging)
#include "tst_packaging.moc"
