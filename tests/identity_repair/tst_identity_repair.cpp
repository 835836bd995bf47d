// identityRepair keeps every key of a state dict torch wrote in torch's order, non-tensor `_extra_state`
// values included, and agrees with applying the empty plan (tests/fixtures/gen_identity_repair.py).
#include "checkpoint/checkpoint.h"
#include "checkpoint/state_dict.h"
#include "formats/checkpoint_loader.h"
#include "repair/apply_plan.h"
#include "repair/repair_plan.h"
#include "repair/repaired_state_dict.h"
#include "support/fixtures.h"

#include <QJsonArray>
#include <QtTest>

using namespace statescope;

namespace {

// "key@position" for each non-tensor value, so a mismatch prints both.
QStringList extraLines(const RepairedStateDict& r)
{
    QStringList lines;
    for (const RepairedExtraState& x : r.extraStates)
        lines << x.key + QLatin1Char('@') + QString::number(x.position);
    return lines;
}

} // namespace

class TestIdentityRepair : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keepsTorchOrder()
    {
        const auto checkpoint = openCheckpoint(test::fixture(QStringLiteral("identity_repair.pt")));
        const QJsonObject expected = test::expected(QStringLiteral("identity_repair.pt"));
        QStringList tensors;
        for (const QJsonValue& v : expected.value(QLatin1String("tensors")).toArray())
            tensors << v.toString();
        QStringList extras;
        for (const QJsonValue& v : expected.value(QLatin1String("extras")).toArray()) {
            const QJsonObject x = v.toObject();
            extras << x.value(QLatin1String("key")).toString() + QLatin1Char('@') +
                          QString::number(x.value(QLatin1String("position")).toInt());
        }
        QVERIFY(!tensors.isEmpty() && extras.size() >= 4);

        const StateDict source = selectStateDict(*checkpoint, QString());
        const auto repaired = identityRepair(source);
        QStringList keys;
        for (qsizetype i = 0; i < repaired->entries.size(); ++i) {
            const RepairedEntry& e = repaired->entries.at(i);
            keys << e.key;
            QCOMPARE(e.sourceKey, e.key);
            QVERIFY(e.recipe.isPlainCopy());
            QCOMPARE(repaired->view.entries.at(i).tensor, source.entries.at(i).tensor);
        }
        QCOMPARE(keys, tensors);
        QCOMPARE(extraLines(*repaired), extras);
        QCOMPARE(repaired->view.extraStates.size(), source.extraStates.size());
        for (qsizetype i = 0; i < source.extraStates.size(); ++i) {
            const RepairedExtraState& x = repaired->extraStates.at(i);
            QCOMPARE(x.sourceKey, x.key);
            QCOMPARE(x.value, source.extraStates.at(i).value);
            QCOMPARE(repaired->view.extraStates.at(i).key, x.key);
            QCOMPARE(repaired->view.extraStates.at(i).value, x.value);
            QCOMPARE(repaired->view.extraStates.at(i).position, x.position);
        }
        QCOMPARE(repaired->view.metadata, source.metadata);

        const auto planned = applyPlan(RepairPlan(), source, nullptr);
        QCOMPARE(extraLines(*planned), extras);
        QCOMPARE(planned->entries.size(), repaired->entries.size());
    }
};

QTEST_MAIN(TestIdentityRepair)
#include "tst_identity_repair.moc"
