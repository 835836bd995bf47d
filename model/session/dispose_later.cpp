#include "session/dispose_later.h"

#include <QCoreApplication>
#include <QThreadPool>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace statescope {

namespace {

// One thread, at a lower CPU priority than the window and the worker: on 2 cores a full-speed free() of a
// big checkpoint competes with the worker opening the new one and takes the GUI thread's core (measured on
// the 100k-key reload: 50-65 ms stalls when freeing on Qt's global pool, 15-22 ms from this thread).
Q_GLOBAL_STATIC(QThreadPool, janitor)

void waitForJanitor()
{
    janitor()->waitForDone(); // nothing half-freed when the application ends
}

QThreadPool* janitorPool()
{
    static const bool configured = [] {
        janitor()->setMaxThreadCount(1);
        if (QCoreApplication::instance())
            qAddPostRoutine(waitForJanitor);
        return true;
    }();
    Q_UNUSED(configured);
    return janitor();
}

} // namespace

bool waitForDisposals(int timeoutMs)
{
    return janitorPool()->waitForDone(timeoutMs);
}

void disposeLaterErased(std::shared_ptr<const void> object)
{
    janitorPool()->start([object = std::move(object)]() mutable {
        // Linux keeps a nice value per thread; the pool's thread keeps it for its later tasks, and a thread
        // the pool starts anew inherits the caller's, so set it every time (one system call).
        setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
        object.reset();
    });
}

} // namespace statescope
