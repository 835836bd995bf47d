// Session + worker with a repair plan: the diff re-runs on the worker with the plan applied, the snapshot
// carries the plan's renames, and a plan that cannot apply fails without replacing the shown diff.
#include "repair/repair_plan.h"
#include "session/session.h"
#include "support/fixtures.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QtTest>

using namespace statescope;
using namespace statescope::test;

class TestSessionPlan : public QObject
{
    Q_OBJECT
private:
    // What real torch says the keys are, in order (torch.load of each file, state dict under the container).
    static QStringList torchKeys(const QString& file, bool stripModule)
    {
        const ProcessResult r = runPython(QStringLiteral(
            "import sys, torch\n"
            "sd = torch.load(sys.argv[1])\n"
            "sd = sd.get('state_dict', sd) if isinstance(sd, dict) else sd\n"
            "for k in sd.keys():\n"
            "    print(k[len('module.'):] if sys.argv[2] == '1' and k.startswith('module.') else k)\n"),
            {file, stripModule ? QStringLiteral("1") : QStringLiteral("0")});
        if (r.exitCode != 0)
            return {QString::fromUtf8(r.err)};
        return QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }

    static void openPair(Session& session, const QString& source, const QString& target)
    {
        QSignalSpy ready(&session, &Session::diffReady);
        session.open(Side::Source, fixture(source));
        session.open(Side::Target, fixture(target));
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() >= 1 && !session.isBusy(), 20000);
    }

private Q_SLOTS:
    void stripPrefixPlanMakesTheSourceLoad()
    {
        Session session;
        openPair(session, QStringLiteral("diff_prefix_module_source.pt"), QStringLiteral("diff_prefix_module_target.pt"));
        QVERIFY(!session.diff().verdict->loadable);
        QVERIFY(session.diff().originalSourceKeys.isEmpty());

        QSignalSpy ready(&session, &Session::diffReady);
        QSignalSpy planChanged(&session, &Session::planChanged);
        RepairPlan plan;
        plan.rules.push_back(RepairRule::stripPrefix(QStringLiteral("module.")));
        session.setPlan(plan);
        QCOMPARE(planChanged.count(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 20000);

        const DiffSnapshot& diff = session.diff();
        QVERIFY(diff.verdict->loadable);
        QCOMPARE(diff.plan, session.plan());
        QVERIFY(diff.repaired);
        // The output keys are torch's source keys with the prefix stripped, in the source's order, and equal
        // the target's keys; each remembers its key in the file.
        const QStringList stripped = torchKeys(fixture(QStringLiteral("diff_prefix_module_source.pt")), true);
        const QStringList original = torchKeys(fixture(QStringLiteral("diff_prefix_module_source.pt")), false);
        QStringList outputKeys;
        for (const StateDictEntry& e : diff.sourceDict.entries)
            outputKeys << e.key;
        QCOMPARE(outputKeys, stripped);
        QCOMPARE(outputKeys, torchKeys(fixture(QStringLiteral("diff_prefix_module_target.pt")), false));
        for (int i = 0; i < stripped.size(); ++i)
            QCOMPARE(diff.originalSourceKeys.value(stripped[i]), original[i]);
        QCOMPARE(diff.originalSourceDict.entries.size(), original.size());
        QCOMPARE(diff.originalSourceDict.entries.first().key, original.first());

        // Undo is setting the previous plan: the verdict is torch's again.
        session.setPlan(RepairPlan());
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 2, 20000);
        QVERIFY(!session.diff().verdict->loadable);
    }

    void collidingPlanFailsAndKeepsTheDiff()
    {
        Session session;
        openPair(session, QStringLiteral("diff_prefix_module_source.pt"), QStringLiteral("diff_prefix_module_target.pt"));
        const QStringList keys = torchKeys(fixture(QStringLiteral("diff_prefix_module_source.pt")), false);
        QVERIFY(keys.size() >= 2);
        const auto before = session.diff().verdict;

        QSignalSpy failed(&session, &Session::diffFailed);
        RepairPlan plan;
        plan.rules.push_back(RepairRule::map(keys[0], keys[1]));
        session.setPlan(plan);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(keys[0]) && message.contains(keys[1]), qPrintable(message));
        QVERIFY(!message.contains(QLatin1Char('\n')));
        QCOMPARE(session.diff().verdict, before);
        QVERIFY(!session.isBusy());
    }

    void planChoosesItsStateDict()
    {
        // A container with the state dict nested under `state_dict`: the plan's source_dict picks it, and the
        // combo choice is written back into the plan so a saved rules file remembers it.
        Session session;
        // model_ema.pt holds `model` and `model_ema` (gen_torch_zip.py).
        openPair(session, QStringLiteral("model_ema.pt"), QStringLiteral("diff_prefix_module_target.pt"));
        const QVector<StateDict>& candidates = session.opened(Side::Source).candidates;
        QVERIFY(candidates.size() >= 2);
        QCOMPARE(session.plan().sourceDict, QString());
        QSignalSpy ready(&session, &Session::diffReady);
        session.selectStateDict(Side::Source, 1);
        QCOMPARE(session.plan().sourceDict, candidates[1].path);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 20000);
        QCOMPARE(session.diff().originalSourceDict.path, candidates[1].path);
        RepairPlan plan;
        plan.sourceDict = candidates[0].path;
        session.setPlan(plan);
        QCOMPARE(session.selectedStateDict(Side::Source), 0);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 2, 20000);
        QCOMPARE(session.diff().originalSourceDict.path, candidates[0].path);
    }
};

QTEST_MAIN(TestSessionPlan)
#include "tst_session_plan.moc"
