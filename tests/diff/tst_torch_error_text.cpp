#include "diff/diff_cases.h"
#include "diff/torch_error_text.h"

#include "support/fixtures.h"

#include <QTest>

using namespace statescope;
using namespace statescope::test;

namespace {

// Every RuntimeError text real torch produced for the diff pairs, once each.
QStringList recordedErrors()
{
    QStringList errors;
    for (const QJsonValue& value : diffCases()) {
        const QJsonObject pair = value.toObject();
        const QString error = pair.value(QLatin1String("torch_error")).toString();
        if (pair.value(QLatin1String("exception")).toString() == QLatin1String("RuntimeError") &&
            !errors.contains(error))
            errors << error;
    }
    return errors;
}

QJsonObject pairFor(const QString& error)
{
    for (const QJsonValue& value : diffCases())
        if (value.toObject().value(QLatin1String("torch_error")).toString() == error)
            return value.toObject();
    return {};
}

void compareWithTorch(const ParsedTorchError& parsed, const QJsonObject& pair)
{
    QVERIFY(parsed.recognised);
    QCOMPARE(parsed.modelName, pair.value(QLatin1String("model_name")).toString());
    QCOMPARE(parsed.missing, stringList(pair.value(QLatin1String("missing"))));
    QCOMPARE(parsed.unexpected, stringList(pair.value(QLatin1String("unexpected"))));
    const QJsonArray shapes = pair.value(QLatin1String("shape_mismatch")).toArray();
    QCOMPARE(parsed.sizeMismatch.size(), shapes.size());
    for (int i = 0; i < shapes.size(); ++i) {
        const QJsonObject o = shapes.at(i).toObject();
        QCOMPARE(parsed.sizeMismatch.at(i).key, o.value(QLatin1String("key")).toString());
        QCOMPARE(parsed.sizeMismatch.at(i).sourceShape, shapeOf(o.value(QLatin1String("source"))));
        QCOMPARE(parsed.sizeMismatch.at(i).targetShape, shapeOf(o.value(QLatin1String("target"))));
    }
}

// How a terminal shows it: a traceback, "RuntimeError: ", tabs as spaces, CRLF, hard wraps at 80 columns.
QString asPastedFromTerminal(const QString& error)
{
    QString text =
        QStringLiteral("Traceback (most recent call last):\n  File \"train.py\", line 12, in <module>\n"
                       "    model.load_state_dict(ckpt[\"state_dict\"])\nRuntimeError: ") +
        error + QLatin1Char('\n');
    text.replace(QLatin1Char('\t'), QLatin1String("    "));
    QString wrapped;
    for (const QString& line : text.split(QLatin1Char('\n'))) {
        for (int i = 0; i < line.size(); i += 80)
            wrapped += line.mid(i, 80) + QLatin1String("\r\n");
        if (line.isEmpty())
            wrapped += QLatin1String("\r\n");
    }
    return wrapped;
}

} // namespace

class TestTorchErrorText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void torchSize();
    void roundTrip_data();
    void roundTrip();
    void pastedFromTerminal_data() { roundTrip_data(); }
    void pastedFromTerminal();
    void notTorchText();
    void realTraceback();
};

void TestTorchErrorText::initTestCase()
{
    QVERIFY2(recordedErrors().size() >= 10,
             "diff_pairs.expected.json missing: run tests/fixtures/make_fixtures.py");
}

void TestTorchErrorText::torchSize()
{
    // What str(torch.Size(...)) prints, checked against real torch.
    const ProcessResult r = runPython(QStringLiteral(
        "import torch\nfor s in [[], [1], [3], [10, 512], [0, 2, 7]]: print(str(torch.Size(s)))"));
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const QVector<QVector<qint64>> shapes{{}, {1}, {3}, {10, 512}, {0, 2, 7}};
    QCOMPARE(lines.size(), shapes.size());
    for (int i = 0; i < shapes.size(); ++i)
        QCOMPARE(torchSizeText(shapes.at(i)), lines.at(i));
}

void TestTorchErrorText::roundTrip_data()
{
    QTest::addColumn<QString>("error");
    for (const QString& error : recordedErrors())
        QTest::newRow(qPrintable(pairFor(error).value(QLatin1String("name")).toString())) << error;
}

void TestTorchErrorText::roundTrip()
{
    QFETCH(QString, error);
    const QJsonObject pair = pairFor(error);
    const ParsedTorchError parsed = parseTorchError(error);
    compareWithTorch(parsed, pair);

    // And back: the parsed parts make torch's text again, byte for byte.
    QStringList messages;
    for (const ShapeMismatch& m : parsed.sizeMismatch)
        messages << sizeMismatchMessage(m.key, m.sourceShape, m.targetShape);
    messages += parsed.otherMessages;
    // (No recorded text mixes size mismatches with other messages, so their relative order is not at stake.)
    QCOMPARE(loadStateDictErrorText(parsed.modelName, parsed.missing, parsed.unexpected, messages), error);
}

void TestTorchErrorText::pastedFromTerminal()
{
    QFETCH(QString, error);
    compareWithTorch(parseTorchError(asPastedFromTerminal(error)), pairFor(error));
}

void TestTorchErrorText::notTorchText()
{
    QVERIFY(!parseTorchError(QString()).recognised);
    QVERIFY(!parseTorchError(QStringLiteral("RuntimeError: CUDA out of memory")).recognised);
    QVERIFY(!parseTorchError(QStringLiteral("Error(s) in loading state_dict for")).recognised);
    // A header alone (nothing after it) is recognised but lists nothing.
    const ParsedTorchError bare = parseTorchError(QStringLiteral("Error(s) in loading state_dict for Net:"));
    QVERIFY(bare.recognised);
    QCOMPARE(bare.modelName, QStringLiteral("Net"));
    QVERIFY(bare.missing.isEmpty() && bare.unexpected.isEmpty() && bare.sizeMismatch.isEmpty());
    // A malformed size line is kept verbatim rather than guessed at.
    const ParsedTorchError odd =
        parseTorchError(QStringLiteral("Error(s) in loading state_dict for Net:\n\tsize mismatch for w: "
                                       "copying a param with shape torch.Size([x]) from "
                                       "checkpoint, the shape in current model is torch.Size([1])."));
    QVERIFY(odd.sizeMismatch.isEmpty());
    QCOMPARE(odd.otherMessages.size(), 1);
}

// A whole traceback as Python printed it (gen_gui_export.py): it quotes torch's source line before the real
// message: torch 1.13's `raise RuntimeError('Error(s) in loading state_dict for {}:\n\t{}'.format(`, torch
// 2.13's `raise RuntimeError(` alone.
void TestTorchErrorText::realTraceback()
{
    QFile file(test::fixture(QStringLiteral("gui_paste_error.txt")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    QVERIFY(text.contains(QLatin1String("raise RuntimeError(")));
    if (oracleTorchVersion().startsWith(QLatin1String("1.")))
        QVERIFY(text.contains(QLatin1String("'Error(s) in loading state_dict for {}")));
    const QJsonObject expected = statescope::test::expected(QStringLiteral("gui_paste_error.txt"));
    auto list = [&expected](const char* name) {
        QStringList keys;
        for (const QJsonValue& v : expected.value(QLatin1String(name)).toArray())
            keys << v.toString();
        return keys;
    };
    const ParsedTorchError parsed = parseTorchError(text);
    QVERIFY(parsed.recognised);
    QCOMPARE(parsed.modelName, QStringLiteral("Small"));
    QCOMPARE(parsed.missing, list("missing"));
    QCOMPARE(parsed.unexpected, list("unexpected"));
    QStringList mismatched;
    for (const ShapeMismatch& m : parsed.sizeMismatch)
        mismatched << m.key;
    QCOMPARE(mismatched, list("size_mismatch"));
}

QTEST_GUILESS_MAIN(TestTorchErrorText)
#include "tst_torch_error_text.moc"
