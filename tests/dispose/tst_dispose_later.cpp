// disposeLater: a replaced result is freed on the janitor thread, never on the caller's (the GUI thread's),
// never while someone else still holds it, and at a lower CPU priority than the caller.

#include "session/dispose_later.h"

#include <QThread>
#include <QtTest>

#include <atomic>
#include <cerrno>
#include <memory>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace statescope;

namespace {

// Records which thread destroyed it.
struct Witness
{
    explicit Witness(std::atomic<QThread*>* destroyedOn) : destroyedOn(destroyedOn) {}
    ~Witness() { destroyedOn->store(QThread::currentThread()); }
    std::atomic<QThread*>* destroyedOn;
};

} // namespace

class TestDisposeLater : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void freesOnAnotherThread();
    void runsAtLowerPriority();
    void keepsWhatOthersStillHold();
    void disposesValuesHoldingPointers();
};

void TestDisposeLater::freesOnAnotherThread()
{
    std::atomic<QThread*> destroyedOn{nullptr};
    auto witness = std::make_shared<Witness>(&destroyedOn);
    disposeLater(std::exchange(witness, nullptr));
    QVERIFY(waitForDisposals(10000));
    QVERIFY(destroyedOn.load() != nullptr);
    QVERIFY(destroyedOn.load() != QThread::currentThread());
}

void TestDisposeLater::runsAtLowerPriority()
{
    // The janitor's nice value, read where it frees: above the caller's (Linux keeps one per thread).
    std::atomic<int> niceThere{-100};
    struct NiceProbe
    {
        std::atomic<int>* out;
        ~NiceProbe()
        {
            errno = 0;
            out->store(getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid))));
        }
    };
    disposeLater(std::make_shared<NiceProbe>(NiceProbe{&niceThere}));
    QVERIFY(waitForDisposals(10000));
    errno = 0;
    const int niceHere = getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)));
    QVERIFY2(niceThere.load() > niceHere, qPrintable(QStringLiteral("%1 vs %2").arg(niceThere.load()).arg(niceHere)));
}

void TestDisposeLater::keepsWhatOthersStillHold()
{
    std::atomic<QThread*> destroyedOn{nullptr};
    auto witness = std::make_shared<Witness>(&destroyedOn);
    std::shared_ptr<Witness> stillHeld = witness; // e.g. a running value comparison's snapshot
    disposeLater(std::move(witness));
    QVERIFY(waitForDisposals(10000));
    QCOMPARE(destroyedOn.load(), nullptr);
    QCOMPARE(stillHeld.use_count(), 1);
    stillHeld.reset(); // the last holder frees it, where it is
    QCOMPARE(destroyedOn.load(), QThread::currentThread());
}

void TestDisposeLater::disposesValuesHoldingPointers()
{
    // A struct of several results (as a DiffSnapshot or a pair of snapshot and row tree) goes as one value.
    std::atomic<QThread*> first{nullptr};
    std::atomic<QThread*> second{nullptr};
    auto pair = std::make_pair(std::make_shared<Witness>(&first), std::make_shared<Witness>(&second));
    disposeLater(std::move(pair));
    QVERIFY(waitForDisposals(10000));
    QVERIFY(first.load() && first.load() != QThread::currentThread());
    QVERIFY(second.load() && second.load() != QThread::currentThread());
}

QTEST_GUILESS_MAIN(TestDisposeLater)
#include "tst_dispose_later.moc"
