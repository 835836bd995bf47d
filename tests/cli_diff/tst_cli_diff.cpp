#include "diff/diff_cases.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace statescope::test;

namespace {

// The command line for a pair: --model-name only where the CLI cannot know the class name itself (a
// checkpoint target of a class not named Model).
QStringList diffArguments(const QJsonObject& pair)
{
    QStringList args{QStringLiteral("diff"), fixture(pair.value(QLatin1String("source")).toString()),
                     fixture(pair.value(QLatin1String("target")).toString())};
    if (pair.value(QLatin1String("source_dict")).isString())
        args << QStringLiteral("--source-dict") << pair.value(QLatin1String("source_dict")).toString();
    const QString name = pair.value(QLatin1String("model_name")).toString();
    if (pair.value(QLatin1String("target_kind")).toString() == QLatin1String("checkpoint") &&
        name != QLatin1String("Model"))
        args << QStringLiteral("--model-name") << name;
    // Without the option the CLI follows torch 2.4 and later; an older oracle is asked for by its version.
    if (oracleLoadRules() != statescope::LoadRules::Current)
        args << QStringLiteral("--torch-version") << oracleTorchVersion();
    return args;
}

} // namespace

class TestCliDiff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void json_data();
    void json();
    void text_data() { json_data(); }
    void text();
    void gnu_data();
    void gnu();
    void errors_data();
    void errors();
    void selectsTargetDict();
};

void TestCliDiff::initTestCase()
{
    QVERIFY2(!diffCases().isEmpty(), "diff_pairs.expected.json missing: run tests/fixtures/make_fixtures.py");
}

void TestCliDiff::json_data()
{
    addDiffCaseRows();
}

void TestCliDiff::json()
{
    QFETCH(QJsonObject, pair);
    const ProcessResult r = runStatescope(diffArguments(pair) << QStringLiteral("--json"));
    const QJsonValue error = pair.value(QLatin1String("torch_error"));
    QVERIFY2(r.exitCode == (error.isNull() ? 0 : 1), r.err.constData());
    QVERIFY(r.err.isEmpty());
    QJsonParseError parseError;
    const QJsonObject out = QJsonDocument::fromJson(r.out, &parseError).object();
    QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString()));

    const QJsonObject source = out.value(QLatin1String("source")).toObject();
    QCOMPARE(source.value(QLatin1String("file")).toString(),
             fixture(pair.value(QLatin1String("source")).toString()));
    QCOMPARE(source.value(QLatin1String("format")).toString(), QStringLiteral("torch-zip"));
    QCOMPARE(source.value(QLatin1String("selected")).toString(),
             pair.value(QLatin1String("source_dict")).toString());
    const QJsonObject target = out.value(QLatin1String("target")).toObject();
    QCOMPARE(target.value(QLatin1String("file")).toString(),
             fixture(pair.value(QLatin1String("target")).toString()));
    const QString kind = pair.value(QLatin1String("target_kind")).toString();
    QCOMPARE(target.value(QLatin1String("format")).toString(),
             kind == QLatin1String("torchscript") ? QStringLiteral("torchscript")
             : kind == QLatin1String("export")    ? QStringLiteral("torch-export")
                                                  : QStringLiteral("torch-zip"));
    QCOMPARE(target.value(QLatin1String("selected")).toString(), QString());

    QCOMPARE(out.value(QLatin1String("loadable")).toBool(), error.isNull());
    QVERIFY(out.value(QLatin1String("loadable")).isBool());
    QCOMPARE(out.value(QLatin1String("torch_error")), error); // byte for byte, null when it loads
    QCOMPARE(out.value(QLatin1String("torch_exception")), pair.value(QLatin1String("exception")));
    QCOMPARE(out.value(QLatin1String("filled_by_torch")).toArray(),
             pair.value(QLatin1String("filled_by_torch")).toArray());
    QCOMPARE(out.value(QLatin1String("dtype_mismatch")).toArray(),
             pair.value(QLatin1String("dtype_mismatch")).toArray());
    if (pair.value(QLatin1String("missing")).isNull())
        return; // torch aborted (IndexError) before listing anything
    QCOMPARE(out.value(QLatin1String("missing")).toArray(), pair.value(QLatin1String("missing")).toArray());
    QCOMPARE(out.value(QLatin1String("unexpected")).toArray(),
             pair.value(QLatin1String("unexpected")).toArray());
    QCOMPARE(out.value(QLatin1String("shape_mismatch")).toArray(),
             pair.value(QLatin1String("shape_mismatch")).toArray());
}

void TestCliDiff::text()
{
    QFETCH(QJsonObject, pair);
    const ProcessResult r = runStatescope(diffArguments(pair));
    const QJsonValue error = pair.value(QLatin1String("torch_error"));
    QVERIFY2(r.exitCode == (error.isNull() ? 0 : 1), r.err.constData());
    const QString out = QString::fromUtf8(r.out);
    QVERIFY2(out.startsWith(QLatin1String("source: ")), qPrintable(out));
    QVERIFY(out.contains(QLatin1String("\n  missing     ") +
                         QString::number(pair.value(QLatin1String("missing")).toArray().size())) ||
            pair.value(QLatin1String("missing")).isNull());
    if (error.isNull()) {
        QVERIFY(out.contains(QLatin1String(".load_state_dict(source, strict=True) succeeds\n")));
        QVERIFY(!out.contains(QLatin1String("Error(s) in loading")));
    } else {
        // torch's text verbatim at the end, as a traceback ends; an exception other than the collected
        // RuntimeError is named, since its text alone ("index 0 is out of bounds ...") does not say what
        // raised.
        const QString exception = pair.value(QLatin1String("exception")).toString();
        const QString named =
            exception == QLatin1String("RuntimeError") ? QString() : exception + QLatin1String(": ");
        QVERIFY2(out.endsWith(QLatin1Char('\n') + named + error.toString() + QLatin1Char('\n')),
                 qPrintable(out));
    }
}

void TestCliDiff::gnu_data()
{
    addDiffCaseRows();
}

void TestCliDiff::gnu()
{
    // Every line must parse with the problem matcher docs/ide.md gives VS Code (the same regular expression,
    // PCRE here, JavaScript there), and together the lines must say what real torch said, in its order.
    QFETCH(QJsonObject, pair);
    const ProcessResult r = runStatescope(diffArguments(pair) << QStringLiteral("--format") << QStringLiteral("gnu"));
    const QJsonValue error = pair.value(QLatin1String("torch_error"));
    QVERIFY2(r.exitCode == (error.isNull() ? 0 : 1), r.err.constData());
    QVERIFY(r.err.isEmpty());
    const QRegularExpression matcher(QStringLiteral("^(.+?): (?:(\\S+): )?(error|warning): (.*)$"));
    const QString file = fixture(pair.value(QLatin1String("source")).toString());
    QStringList missing, unexpected, sizeMismatch, dtype, other;
    const QStringList lines = QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString& line : lines) {
        const QRegularExpressionMatch m = matcher.match(line);
        QVERIFY2(m.hasMatch(), qPrintable(line));
        QCOMPARE(m.captured(1), file);
        const QString key = m.captured(2);
        const QString message = m.captured(4);
        if (m.captured(3) == QLatin1String("warning")) {
            QVERIFY2(message.startsWith(QLatin1String("dtype ")), qPrintable(line));
            dtype << key;
        } else if (message == QLatin1String("Missing key in state_dict")) {
            missing << key;
        } else if (message == QLatin1String("Unexpected key in state_dict")) {
            unexpected << key;
        } else if (message.startsWith(QLatin1String("size mismatch for ") + key + QLatin1String(": "))) {
            sizeMismatch << key;
            // torch's own per-tensor line, word for word.
            QVERIFY2(error.toString().contains(QLatin1String("\n\t") + message), qPrintable(message));
        } else {
            other << line;
        }
    }
    QStringList dtypeKeys;
    for (const QJsonValue& m : pair.value(QLatin1String("dtype_mismatch")).toArray())
        dtypeKeys << m.toObject().value(QLatin1String("key")).toString();
    if (pair.value(QLatin1String("missing")).isNull()) {
        // torch aborted the walk (IndexError): one keyless line with its text, nothing else.
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines.front(), file + QLatin1String(": error: ") +
                                    pair.value(QLatin1String("exception")).toString() + QLatin1String(": ") +
                                    error.toString());
        return;
    }
    QCOMPARE(missing, stringList(pair.value(QLatin1String("missing"))));
    QCOMPARE(unexpected, stringList(pair.value(QLatin1String("unexpected"))));
    QStringList shapeKeys;
    for (const QJsonValue& m : pair.value(QLatin1String("shape_mismatch")).toArray())
        shapeKeys << m.toObject().value(QLatin1String("key")).toString();
    QCOMPARE(sizeMismatch, shapeKeys);
    QCOMPARE(dtype, dtypeKeys);
    // Other per-tensor errors (a quantized copy) only where torch printed more than the lists above.
    for (const QString& line : other)
        QVERIFY2(error.toString().contains(line.section(QLatin1String(": error: "), 1)), qPrintable(line));
    if (error.isNull())
        QVERIFY(other.isEmpty() && missing.isEmpty() && unexpected.isEmpty() && sizeMismatch.isEmpty());
}

void TestCliDiff::errors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");
    const QString source = fixture(QStringLiteral("diff_identical_source.pt"));
    const QString target = fixture(QStringLiteral("diff_identical_target.pt"));
    QTest::newRow("one file") << QStringList{QStringLiteral("diff"), source}
                              << QStringLiteral("SOURCE and TARGET");
    QTest::newRow("three files") << QStringList{QStringLiteral("diff"), source, target, target}
                                 << QStringLiteral("SOURCE and TARGET");
    QTest::newRow("no such file") << QStringList{QStringLiteral("diff"), source,
                                                 fixture(QStringLiteral("nope.pt"))}
                                  << QStringLiteral("nope.pt");
    QTest::newRow("unknown option") << QStringList{QStringLiteral("diff"), source, target,
                                                   QStringLiteral("--frobnicate")}
                                    << QStringLiteral("frobnicate");
    QTest::newRow("bad source dict") << QStringList{QStringLiteral("diff"), source, target,
                                                    QStringLiteral("--source-dict"),
                                                    QStringLiteral("optimizer")}
                                     << QStringLiteral("optimizer");
    QTest::newRow("unknown format") << QStringList{QStringLiteral("diff"), source, target, QStringLiteral("--format"),
                                                   QStringLiteral("xml")}
                                    << QStringLiteral("text, json or gnu");
    QTest::newRow("gnu with values") << QStringList{QStringLiteral("diff"), source, target, QStringLiteral("--format"),
                                                    QStringLiteral("gnu"), QStringLiteral("--values")}
                                     << QStringLiteral("--values");
    QTest::newRow("json against gnu") << QStringList{QStringLiteral("diff"), source, target, QStringLiteral("--json"),
                                                     QStringLiteral("--format"), QStringLiteral("gnu")}
                                      << QStringLiteral("contradict");
    QTest::newRow("not a checkpoint")
        << QStringList{QStringLiteral("diff"), source, fixture(QStringLiteral("diff_pairs.expected.json"))}
        << QStringLiteral("diff_pairs.expected.json");
}

void TestCliDiff::errors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    const ProcessResult r = runStatescope(arguments);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.out.isEmpty());
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.startsWith(QLatin1String("statescope: ")) && err.count(QLatin1Char('\n')) == 1,
             qPrintable(err));
    QVERIFY2(err.contains(mentions), qPrintable(err));
}

void TestCliDiff::selectsTargetDict()
{
    // The container pair's source, used as the TARGET with --target-dict: the same state dict on both sides.
    const QString container = fixture(QStringLiteral("diff_prefix_model_source.pt"));
    const ProcessResult r =
        runStatescope({QStringLiteral("diff"), container, container, QStringLiteral("--source-dict"),
                       QStringLiteral("state_dict"), QStringLiteral("--target-dict"),
                       QStringLiteral("state_dict"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject out = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(out.value(QLatin1String("target")).toObject().value(QLatin1String("selected")).toString(),
             QStringLiteral("state_dict"));
    QVERIFY(out.value(QLatin1String("torch_error")).isNull());
    QVERIFY(out.value(QLatin1String("missing")).toArray().isEmpty());
}

QTEST_GUILESS_MAIN(TestCliDiff)
#include "tst_cli_diff.moc"
