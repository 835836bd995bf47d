#include "support/fixtures.h"

#include <QDir>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace statescope::test;

namespace {

QJsonObject caseNamed(const QString& name)
{
    for (const QJsonValue& v : expected(QStringLiteral("repair")).value(QLatin1String("cases")).toArray()) {
        if (v.toObject().value(QLatin1String("name")).toString() == name)
            return v.toObject();
    }
    return {};
}

QString file(const QJsonObject& c, const char* field)
{
    return fixture(c.value(QLatin1String(field)).toString());
}

qsizetype targetKeyCount(const QJsonObject& c)
{
    return c.value(QLatin1String("target_keys")).toArray().size();
}

} // namespace

class TestCliSuggest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void suggestThenDiffWithRules_data();
    void suggestThenDiffWithRules();
    void pythonSnippetLoadsInTorch();
    void rulesErrorsExitTwo();
    void valuesWithRules();
    void arguments();

private:
    QTemporaryDir m_dir;
};

void TestCliSuggest::initTestCase()
{
    QVERIFY2(!caseNamed(QStringLiteral("dp")).isEmpty(), "repair.expected.json missing: run make_fixtures.py");
    QVERIFY(m_dir.isValid());
}

void TestCliSuggest::suggestThenDiffWithRules_data()
{
    QTest::addColumn<QString>("name");
    for (const char* name : {"dp", "compiled", "lightning", "dp_backbone", "renamed", "renamed_mixed", "bn_fill", "combo", "ops"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

// suggest's JSON is a rules file: `diff --rules` reads it (the extra fields included) and torch's verdict on
// the repaired source is what suggest promised in loadable_after.
void TestCliSuggest::suggestThenDiffWithRules()
{
    QFETCH(QString, name);
    const QJsonObject c = caseNamed(name);
    const ProcessResult before = runStatescope({QStringLiteral("diff"), file(c, "source"), file(c, "target")});
    QCOMPARE(before.exitCode, 1);

    const ProcessResult suggested = runStatescope({QStringLiteral("suggest"), file(c, "source"), file(c, "target")});
    QVERIFY2(suggested.exitCode == 0, suggested.err.constData());
    const QJsonObject rules = QJsonDocument::fromJson(suggested.out).object();
    QCOMPARE(rules.value(QLatin1String("statescope_rules")).toInt(), 1);
    const QJsonValue sourceDict = c.value(QLatin1String("source_dict"));
    QCOMPARE(rules.value(QLatin1String("source_dict")).toString(), sourceDict.isString() ? sourceDict.toString() : QString());
    for (const QJsonValue& r : rules.value(QLatin1String("rules")).toArray()) {
        const QJsonObject o = r.toObject();
        QVERIFY(o.value(QLatin1String("confidence")).toDouble() > 0);
        QVERIFY(!o.value(QLatin1String("reason")).toString().isEmpty());
        QVERIFY(o.value(QLatin1String("lossless")).isBool());
    }
    QVERIFY(rules.value(QLatin1String("loadable_after")).toBool());

    const QString rulesPath = m_dir.filePath(name + QStringLiteral(".rules.json"));
    QFile out(rulesPath);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(suggested.out);
    out.close();
    // No --source-dict: the rules file's source_dict chooses the state dict.
    const ProcessResult after = runStatescope(
        {QStringLiteral("diff"), file(c, "source"), file(c, "target"), QStringLiteral("--json"), QStringLiteral("--rules"), rulesPath});
    QVERIFY2(after.exitCode == 0, after.out.constData());
    const QJsonObject verdict = QJsonDocument::fromJson(after.out).object();
    QVERIFY(verdict.value(QLatin1String("loadable")).toBool());
    QCOMPARE(verdict.value(QLatin1String("source")).toObject().value(QLatin1String("selected")).toString(),
             sourceDict.isString() ? sourceDict.toString() : QString());
}

void TestCliSuggest::pythonSnippetLoadsInTorch()
{
    const QJsonObject c = caseNamed(QStringLiteral("combo"));
    const ProcessResult snippet =
        runStatescope({QStringLiteral("suggest"), file(c, "source"), file(c, "target"), QStringLiteral("--python")});
    QVERIFY2(snippet.exitCode == 0, snippet.err.constData());
    QVERIFY(snippet.out.startsWith("import collections\nimport re\n\nimport torch\n"));
    const QString path = m_dir.filePath(QStringLiteral("fix_combo.py"));
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(snippet.out);
    out.close();
    const ProcessResult python = runPython(
        QStringLiteral("import sys, runpy\n"
                       "sys.path.insert(0, sys.argv[3])\n"
                       "import torch, gen_repair\n"
                       "fix = runpy.run_path(sys.argv[1])['fix_state_dict']\n"
                       "model = gen_repair.build_model('net_stage')\n"
                       "source = torch.load(sys.argv[2], weights_only=True)\n"
                       "fixed = fix(source, model.state_dict())\n"
                       "model.load_state_dict(fixed, strict=True)\n"
                       "assert list(fixed) == list(model.state_dict()), list(fixed)\n"
                       "assert all(torch.equal(fixed[k], source['module.' + k.replace('stage', 'layer')])\n"
                       "           for k in fixed if not k.endswith('num_batches_tracked'))\n"
                       "print('ok')\n"),
        {path, file(c, "source"), QLatin1String(STATESCOPE_SOURCE_DIR "/tests/fixtures")});
    QVERIFY2(python.exitCode == 0, python.err.constData());
    QCOMPARE(python.out.trimmed(), QByteArray("ok"));
}

void TestCliSuggest::rulesErrorsExitTwo()
{
    const QJsonObject collision = caseNamed(QStringLiteral("collision"));
    const ProcessResult collide = runStatescope({QStringLiteral("diff"), file(collision, "source"), file(collision, "target"),
                                                 QStringLiteral("--rules"), file(collision, "rules")});
    QCOMPARE(collide.exitCode, 2);
    QVERIFY2(collide.err.startsWith("statescope: source keys \"module.fc.weight\" and \"fc.weight\" both become \"fc.weight\""),
             collide.err.constData());
    QCOMPARE(collide.err.count('\n'), 1);

    const QString bad = m_dir.filePath(QStringLiteral("bad.rules.json"));
    QFile out(bad);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(R"J({"statescope_rules": 1, "rules": [{"op": "drop", "pattern": "("}]})J");
    out.close();
    const QJsonObject dp = caseNamed(QStringLiteral("dp"));
    const ProcessResult badRegex =
        runStatescope({QStringLiteral("diff"), file(dp, "source"), file(dp, "target"), QStringLiteral("--rules"), bad});
    QCOMPARE(badRegex.exitCode, 2);
    QVERIFY2(badRegex.err.startsWith("statescope: rule 0 field \"pattern\""), badRegex.err.constData());

    const ProcessResult missing = runStatescope({QStringLiteral("diff"), file(dp, "source"), file(dp, "target"),
                                                 QStringLiteral("--rules"), m_dir.filePath(QStringLiteral("nope.json"))});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY2(missing.err.contains("cannot read the rules file"), missing.err.constData());
}

// --values compares what `fix` would write for every key, under the source's own key: copies in place,
// computed tensors (cast, transpose, resize, taken from the target) as the export computes them
// (tests/values_recipes checks their numbers against torch).
void TestCliSuggest::valuesWithRules()
{
#ifndef STATESCOPE_HAVE_TORCH_PLUGIN
    QSKIP("built without the LibTorch tensor engine");
#endif
    const QJsonObject dp = caseNamed(QStringLiteral("dp"));
    const ProcessResult r = runStatescope({QStringLiteral("diff"), file(dp, "source"), file(dp, "target"), QStringLiteral("--rules"),
                                           file(dp, "rules"), QStringLiteral("--values"), QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonArray values = QJsonDocument::fromJson(r.out).object().value(QLatin1String("values")).toArray();
    QCOMPARE(values.size(), targetKeyCount(dp));
    for (const QJsonValue& v : values) {
        const QJsonObject o = v.toObject();
        QCOMPARE(o.value(QLatin1String("source_key")).toString(), QLatin1String("module.") + o.value(QLatin1String("key")).toString());
        QVERIFY(o.value(QLatin1String("equal")).toBool());
    }
    const QJsonObject ops = caseNamed(QStringLiteral("ops"));
    const ProcessResult computed = runStatescope({QStringLiteral("diff"), file(ops, "source"), file(ops, "target"), QStringLiteral("--rules"),
                                                  file(ops, "rules"), QStringLiteral("--values"), QStringLiteral("--json")});
    QVERIFY2(computed.exitCode == 0, computed.err.constData());
    const QJsonArray opsValues = QJsonDocument::fromJson(computed.out).object().value(QLatin1String("values")).toArray();
    QCOMPARE(opsValues.size(), targetKeyCount(ops));
    for (const QJsonValue& v : opsValues) {
        const QJsonObject o = v.toObject();
        const QString key = o.value(QLatin1String("key")).toString();
        QVERIFY2(!o.contains(QLatin1String("error")), qPrintable(key));
        // The fixture's source holds the target's values behind a transpose, a cast or a take_from_target.
        if (key == QLatin1String("proj.weight") || key.startsWith(QLatin1String("norm.")) || key == QLatin1String("gate"))
            QVERIFY2(o.value(QLatin1String("equal")).toBool(), qPrintable(key));
    }
}

void TestCliSuggest::arguments()
{
    const ProcessResult one = runStatescope({QStringLiteral("suggest"), fixture(QStringLiteral("repair_dp_source.pt"))});
    QCOMPARE(one.exitCode, 2);
    QVERIFY(one.err.startsWith("statescope: suggest takes exactly SOURCE and TARGET"));
    const ProcessResult help = runStatescope({QStringLiteral("suggest"), QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("--python"));
    const ProcessResult usage = runStatescope({QStringLiteral("--help")});
    QVERIFY(usage.out.contains("statescope suggest SOURCE TARGET"));
    QVERIFY(usage.out.contains("--rules RULES"));
}

QTEST_GUILESS_MAIN(TestCliSuggest)
#include "tst_cli_suggest.moc"
