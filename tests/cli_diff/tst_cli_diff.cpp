#include "diff/diff_cases.h"

#include <QJsonDocument>
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
    const bool script = pair.value(QLatin1String("target_kind")).toString() == QLatin1String("torchscript");
    QCOMPARE(target.value(QLatin1String("format")).toString(),
             script ? QStringLiteral("torchscript") : QStringLiteral("torch-zip"));
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
