#pragma once

#include <memory>
#include <type_traits>
#include <utility>

namespace statescope {

// Frees `object` on a pool thread instead of the calling one. Results the GUI thread holds (a checkpoint's
// object graph, a state dict's 100k keys, a diff's row tree) are freed when a newer result replaces them, and
// for a 100k-key pair that is ~400 ms of free() calls: reloading such a pair froze the window that long.
// Call it with the old value moved out (std::exchange) once nothing on this thread points into it any more;
// other threads may still hold references (all of these results are immutable and reference counted), in
// which case the last of them frees it, as before.
void disposeLaterErased(std::shared_ptr<const void> object);

// Waits until everything handed to disposeLater so far is freed (tests; the application's end waits by
// itself). False when `timeoutMs` passed first.
bool waitForDisposals(int timeoutMs = -1);

template <typename T>
void disposeLater(T&& object)
{
    disposeLaterErased(std::make_shared<std::decay_t<T>>(std::forward<T>(object)));
}

} // namespace statescope
