// Rules files saved and loaded through the session's worker thread: the round trip keeps the plan, a save
// replaces the file whole (no temporary left behind), failures come back as one-line messages, and of two
// loads in a row only the later result arrives.
#include "repair/repair_plan.h"
#include "session/rules_file_job.h"
#include "session/session.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace statescope;

namespace {

RepairPlan twoRules()
{
    RepairPlan plan;
    plan.rules << RepairRule::stripPrefix(QStringLiteral("module."))
               << RepairRule::map(QStringLiteral("fc.weight"), QStringLiteral("head.weight"));
    plan.rules[1].enabled = false;
    return plan;
}

} // namespace

class TestSessionRulesFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void saveThenLoadRoundTrips()
    {
        Session session;
        RulesFileJobs jobs(&session);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("rules.json"));
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("an older, longer file that the save must replace entirely");
        old.close();

        QSignalSpy saved(&jobs, &RulesFileJobs::saved);
        QSignalSpy failed(&jobs, &RulesFileJobs::failed);
        jobs.save(twoRules(), path);
        QVERIFY(jobs.isRunning());
        QTRY_COMPARE(saved.count() + failed.count(), 1);
        QCOMPARE(saved.count(), 1);
        QCOMPARE(saved.first().at(0).toString(), path);
        QCOMPARE(saved.first().at(1).toInt(), 2);
        QVERIFY(!jobs.isRunning());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
                 QStringList{QStringLiteral("rules.json")});
        QCOMPARE(readRepairPlan(path), twoRules());

        QSignalSpy loaded(&jobs, &RulesFileJobs::loaded);
        jobs.load(path);
        QTRY_COMPARE(loaded.count() + failed.count(), 1);
        QCOMPARE(loaded.count(), 1);
        QCOMPARE(loaded.first().at(0).value<RepairPlan>(), twoRules());
        QCOMPARE(loaded.first().at(1).toString(), path);
    }

    void failuresAreOneLine_data()
    {
        QTest::addColumn<bool>("save");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content"); // written first when not null
        QTest::newRow("save into a missing directory")
            << true << QStringLiteral("missing/rules.json") << QByteArray();
        QTest::newRow("load a missing file") << false << QStringLiteral("absent.json") << QByteArray();
        QTest::newRow("load garbage") << false << QStringLiteral("garbage.json") << QByteArray("{not json");
        QTest::newRow("load an unknown op")
            << false << QStringLiteral("op.json")
            << QByteArray(R"({"statescope_rules": 1, "rules": [{"op": "explode"}]})");
    }

    void failuresAreOneLine()
    {
        QFETCH(bool, save);
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        Session session;
        RulesFileJobs jobs(&session);
        QTemporaryDir dir;
        const QString path = dir.filePath(name);
        if (!content.isNull()) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        QSignalSpy saved(&jobs, &RulesFileJobs::saved);
        QSignalSpy loaded(&jobs, &RulesFileJobs::loaded);
        QSignalSpy failed(&jobs, &RulesFileJobs::failed);
        if (save)
            jobs.save(twoRules(), path);
        else
            jobs.load(path);
        QTRY_COMPARE(saved.count() + loaded.count() + failed.count(), 1);
        QCOMPARE(failed.count(), 1);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.startsWith(path) && !message.contains(QLatin1Char('\n')), qPrintable(message));
        QVERIFY(!jobs.isRunning());
    }

    void olderLoadIsDropped()
    {
        Session session;
        RulesFileJobs jobs(&session);
        QTemporaryDir dir;
        const QString first = dir.filePath(QStringLiteral("first.json"));
        const QString second = dir.filePath(QStringLiteral("second.json"));
        RepairPlan other;
        other.rules << RepairRule::addPrefix(QStringLiteral("model."));
        writeRepairPlan(twoRules(), first);
        writeRepairPlan(other, second);

        // A failing older load is as stale as a succeeding one.
        QSignalSpy loaded(&jobs, &RulesFileJobs::loaded);
        QSignalSpy failed(&jobs, &RulesFileJobs::failed);
        jobs.load(first);
        jobs.load(dir.filePath(QStringLiteral("absent.json")));
        jobs.load(second);
        QTRY_COMPARE(loaded.count(), 1);
        QCOMPARE(loaded.first().at(0).value<RepairPlan>(), other);
        QCOMPARE(loaded.first().at(1).toString(), second);
        QCOMPARE(failed.count(), 0);
        QVERIFY(!jobs.isRunning());

        // A save in flight is not superseded by a load: both report.
        QSignalSpy saved(&jobs, &RulesFileJobs::saved);
        jobs.save(other, first);
        jobs.load(first);
        QTRY_COMPARE(loaded.count(), 2);
        QCOMPARE(saved.count(), 1); // the worker ran the save first, its result arrived first
        QCOMPARE(loaded.last().at(0).value<RepairPlan>(), other);
    }
};

QTEST_MAIN(TestSessionRulesFile)
#include "tst_session_rules_file.moc"
