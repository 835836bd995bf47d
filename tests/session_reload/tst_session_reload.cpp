// A container holding several state dicts ({'model': sd, 'ema': sd2}) where the user picked one: reloading the
// file (it was rewritten by a training run) keeps that choice by its path in the container even when its index
// moved, the diff shows the new content as torch reads it, a vanished choice falls back to the default and
// says so, and swapping sides keeps each side's choice. The files are rewritten by real torch in the test.

#include "checkpoint/checkpoint.h"
#include "checkpoint_pane.h"
#include "main_window.h"
#include "session/session.h"
#include "support/fixtures.h"

#include <QComboBox>
#include <QJsonArray>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

using namespace statescope;
using namespace statescope::test;

namespace {

const int kTimeout = 30000;

// Rewrites the container at argv[1] as a training run would, then prints what torch says about the result:
// the state dicts in it, the error of Model().load_state_dict(<the 'ema' or else 'model' dict>, strict=True),
// and the first value of that dict's conv.weight.
const char* const kRewrite = R"(
import json, sys, torch
path, mode, fixtures = sys.argv[1:4]
sys.path.insert(0, fixtures)
from gen_session_reload import Model
old = torch.load(path)
torch.manual_seed(99)
if mode == "changed":
    # New values, a head of another size and an extra key; a new dict that ranks before it ('net' is a
    # conventional name) moves its index.
    ema = Model(classes=6).state_dict()
    ema["extra.weight"] = torch.ones(2)
    new = {"epoch": old["epoch"] + 1, "model": old["model"], "net": Model().state_dict(), "ema": ema}
else:
    new = {"epoch": old["epoch"] + 1, "model": old["model"], "last": Model().state_dict()}
torch.save(new, path)
back = torch.load(path)
chosen = back["ema"] if "ema" in back else back["model"]
try:
    Model().load_state_dict(chosen, strict=True)
    error = None
except RuntimeError as e:
    error = str(e)
print(json.dumps({"dicts": [k for k, v in back.items() if isinstance(v, dict)], "error": error,
                  "conv0": chosen["conv.weight"].flatten()[0].item()}))
)";

QJsonObject rewrite(const QString& path, const char* mode)
{
    const ProcessResult r = runPython(QString::fromLatin1(kRewrite),
                                      {path, QString::fromLatin1(mode), QStringLiteral(STATESCOPE_SOURCE_DIR "/tests/fixtures")});
    if (r.exitCode != 0)
        qWarning("%s", r.err.constData());
    return QJsonDocument::fromJson(r.out).object();
}

int indexOf(const QVector<StateDict>& candidates, const QString& path)
{
    for (int i = 0; i < candidates.size(); ++i) {
        if (candidates[i].path == path)
            return i;
    }
    return -1;
}

QString copyOf(const QTemporaryDir& dir, const QString& name, const QString& as)
{
    const QString path = dir.filePath(as);
    return QFile::copy(fixture(name), path) ? path : QString();
}

// Waits until the side's newest file is open and the diff is about it.
bool settled(Session& session, Side side)
{
    return QTest::qWaitFor(
        [&] {
            const auto& opened = session.opened(side).checkpoint;
            const auto& diffed = side == Side::Source ? session.diff().source : session.diff().target;
            return !session.isBusy() && opened && diffed == opened;
        },
        kTimeout);
}

bool openPair(Session& session, const QString& source, const QString& target)
{
    session.open(Side::Source, source);
    session.open(Side::Target, target);
    return settled(session, Side::Source) && settled(session, Side::Target);
}

const StateDict& chosen(const DiffSnapshot& diff, Side side)
{
    return side == Side::Source ? diff.originalSourceDict : diff.targetDict;
}

// The first float of the side's chosen dict's conv.weight, read from the mapped file.
float firstConvValue(const DiffSnapshot& diff, Side side)
{
    const Checkpoint& checkpoint = side == Side::Source ? *diff.source : *diff.target;
    for (const StateDictEntry& e : chosen(diff, side).entries) {
        if (e.key == QLatin1String("conv.weight")) {
            const QByteArrayView bytes = checkpoint.bytesOf(e.tensor->storage);
            float v = 0;
            std::memcpy(&v, bytes.data() + e.tensor->storageOffset * qint64(sizeof(float)), sizeof(float));
            return v;
        }
    }
    return -1;
}

QVector<qint64> shapeOf(const StateDict& dict, const QString& key)
{
    for (const StateDictEntry& e : dict.entries) {
        if (e.key == key)
            return e.tensor->shape;
    }
    return {};
}

} // namespace

class TestSessionReload : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void reloadKeepsTheChosenDict_data();
    void reloadKeepsTheChosenDict();
    void vanishedChoiceFallsBack();
    void swapKeepsEachSidesChoice();
    void windowShowsTheKeptChoice();

private:
    QTemporaryDir m_settings;
};

void TestSessionReload::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settings.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
    QVERIFY2(QFile::exists(fixture(QStringLiteral("session_reload_two.pt"))), "run make_fixtures.py first");
}

void TestSessionReload::reloadKeepsTheChosenDict_data()
{
    QTest::addColumn<Side>("side");
    QTest::newRow("source") << Side::Source;
    QTest::newRow("target") << Side::Target;
}

void TestSessionReload::reloadKeepsTheChosenDict()
{
    QFETCH(Side, side);
    QTemporaryDir dir;
    const QString file = copyOf(dir, QStringLiteral("session_reload_two.pt"), QStringLiteral("run.pt"));
    const QString other = fixture(QStringLiteral("session_reload_target.pt"));
    Session session;
    QVERIFY(side == Side::Source ? openPair(session, file, other) : openPair(session, other, file));
    // The state dicts torch.load finds in the file, and no others.
    QStringList paths;
    for (const StateDict& candidate : session.opened(side).candidates)
        paths << candidate.path;
    QStringList torchDicts;
    for (const QJsonValue& v : expected(QStringLiteral("session_reload_two.pt"))[QLatin1String("dicts")].toArray())
        torchDicts << v.toString();
    paths.sort();
    torchDicts.sort();
    QCOMPARE(paths, torchDicts);
    const int ema = indexOf(session.opened(side).candidates, QStringLiteral("ema"));
    QVERIFY(ema >= 0);
    QVERIFY(session.selectedStateDict(side) != ema); // the default is another dict
    session.selectStateDict(side, ema);
    QTRY_COMPARE_WITH_TIMEOUT(chosen(session.diff(), side).path, QStringLiteral("ema"), kTimeout);
    QVERIFY(session.diff().verdict->loadable);
    const float before = firstConvValue(session.diff(), side);

    const QJsonObject torch = rewrite(file, "changed");
    QVERIFY(!torch.isEmpty());
    QSignalSpy lost(&session, &Session::stateDictLost);
    QSignalSpy selected(&session, &Session::stateDictSelected);
    session.reload(side);
    QVERIFY(settled(session, side));

    // Still 'ema', though 'net' now comes before it and its index moved.
    const int now = indexOf(session.opened(side).candidates, QStringLiteral("ema"));
    QVERIFY(now >= 0);
    QVERIFY(now != ema);
    QCOMPARE(session.selectedStateDict(side), now);
    QCOMPARE(chosen(session.diff(), side).path, QStringLiteral("ema"));
    QVERIFY(lost.isEmpty());
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.first().at(0).value<Side>(), side);
    QCOMPARE(selected.first().at(1).toInt(), now);
    // The diff is about the new content: the new head's shape and values, and (loading it into the model)
    // torch's own error text.
    QVERIFY(!session.diff().verdict->loadable);
    if (side == Side::Source)
        QCOMPARE(session.diff().verdict->torchError, torch[QLatin1String("error")].toString());
    QCOMPARE(shapeOf(chosen(session.diff(), side), QStringLiteral("fc.weight")), (QVector<qint64>{6, 4}));
    const float after = firstConvValue(session.diff(), side);
    QCOMPARE(after, float(torch[QLatin1String("conv0")].toDouble()));
    QVERIFY(after != before);
}

void TestSessionReload::vanishedChoiceFallsBack()
{
    QTemporaryDir dir;
    const QString file = copyOf(dir, QStringLiteral("session_reload_two.pt"), QStringLiteral("run.pt"));
    Session session;
    QVERIFY(openPair(session, file, fixture(QStringLiteral("session_reload_target.pt"))));
    const int defaultChoice = session.selectedStateDict(Side::Source);
    const QString defaultPath = session.opened(Side::Source).candidates[defaultChoice].path;
    session.selectStateDict(Side::Source, indexOf(session.opened(Side::Source).candidates, QStringLiteral("ema")));
    QTRY_COMPARE_WITH_TIMEOUT(session.diff().originalSourceDict.path, QStringLiteral("ema"), kTimeout);

    const QJsonObject torch = rewrite(file, "dropped");
    QVERIFY(!torch[QLatin1String("dicts")].toArray().contains(QStringLiteral("ema")));
    QSignalSpy lost(&session, &Session::stateDictLost);
    session.reload(Side::Source);
    QVERIFY(settled(session, Side::Source));
    QCOMPARE(lost.size(), 1);
    QCOMPARE(lost.first().at(1).toString(), QStringLiteral("ema"));
    // The default choice of a freshly opened file (the plan remembers 'ema', which is gone).
    QCOMPARE(lost.first().at(2).toString(), defaultPath);
    QCOMPARE(session.diff().originalSourceDict.path, defaultPath);
    QCOMPARE(session.diff().verdict->torchError, torch[QLatin1String("error")].toString());
}

void TestSessionReload::swapKeepsEachSidesChoice()
{
    QTemporaryDir dir;
    const QString left = copyOf(dir, QStringLiteral("session_reload_two.pt"), QStringLiteral("left.pt"));
    const QString right = copyOf(dir, QStringLiteral("session_reload_two.pt"), QStringLiteral("right.pt"));
    Session session;
    QVERIFY(openPair(session, left, right));
    const int ema = indexOf(session.opened(Side::Source).candidates, QStringLiteral("ema"));
    const int model = indexOf(session.opened(Side::Target).candidates, QStringLiteral("model"));
    QVERIFY(ema >= 0 && model >= 0 && ema != model);
    session.selectStateDict(Side::Source, ema);
    session.selectStateDict(Side::Target, model);
    QTRY_COMPARE_WITH_TIMEOUT(session.diff().originalSourceDict.path, QStringLiteral("ema"), kTimeout);

    QSignalSpy selected(&session, &Session::stateDictSelected);
    session.swapSides();
    QCOMPARE(session.path(Side::Source), right);
    QCOMPARE(session.selectedStateDict(Side::Source), model);
    QCOMPARE(session.selectedStateDict(Side::Target), ema);
    QCOMPARE(selected.size(), 2); // so both panes show the choice
    QVERIFY(QTest::qWaitFor([&] { return !session.isBusy() && session.diff().source->path() == right; }, kTimeout));
    QCOMPARE(session.diff().originalSourceDict.path, QStringLiteral("model"));
    QCOMPARE(session.diff().targetDict.path, QStringLiteral("ema"));

    // The target (left.pt, 'ema') rewritten and reloaded after the swap: still 'ema'.
    const QJsonObject torch = rewrite(left, "changed");
    QVERIFY(!torch.isEmpty());
    session.reload(Side::Target);
    QVERIFY(settled(session, Side::Target));
    QCOMPARE(session.diff().targetDict.path, QStringLiteral("ema"));
    QCOMPARE(shapeOf(session.diff().targetDict, QStringLiteral("fc.weight")), (QVector<qint64>{6, 4}));
    QCOMPARE(session.diff().originalSourceDict.path, QStringLiteral("model"));
}

void TestSessionReload::windowShowsTheKeptChoice()
{
    QTemporaryDir dir;
    const QString file = copyOf(dir, QStringLiteral("session_reload_two.pt"), QStringLiteral("run.pt"));
    MainWindow window;
    Session& session = *window.session();
    window.openFile(Side::Source, file);
    window.openFile(Side::Target, fixture(QStringLiteral("session_reload_target.pt")));
    QVERIFY(settled(session, Side::Source) && settled(session, Side::Target));
    auto* combo = window.pane(Side::Source)->findChild<QComboBox*>();
    QVERIFY(combo);
    const int ema = indexOf(session.opened(Side::Source).candidates, QStringLiteral("ema"));
    combo->setCurrentIndex(ema); // as the user picks it
    QTRY_COMPARE_WITH_TIMEOUT(session.diff().originalSourceDict.path, QStringLiteral("ema"), kTimeout);

    QVERIFY(!rewrite(file, "changed").isEmpty());
    session.reload(Side::Source);
    QVERIFY(settled(session, Side::Source));
    const int now = indexOf(session.opened(Side::Source).candidates, QStringLiteral("ema"));
    QCOMPARE(combo->currentIndex(), now);
    QVERIFY(combo->currentText().startsWith(QLatin1String("ema ")));

    QVERIFY(!rewrite(file, "dropped").isEmpty());
    session.reload(Side::Source);
    QVERIFY(settled(session, Side::Source));
    QCOMPARE(combo->currentIndex(), session.selectedStateDict(Side::Source));
    const QString message = window.statusBar()->currentMessage();
    QVERIFY2(message.contains(QLatin1String("run.pt no longer holds the state dict ema")), qPrintable(message));
}

QTEST_MAIN(TestSessionReload)
#include "tst_session_reload.moc"
