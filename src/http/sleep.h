// SleepUntil / SleepFor: an awaitable wait that follows whichever Clock it is given — an Asio
// steady_timer for SystemClock, FakeClock::Advance for a FakeClock — so timed coroutines can be
// tested without real waiting.
// Threading: the calling coroutine's executor must be a strand or a single-threaded io_context.
// FakeClock::Advance may run on any thread; it only posts to that executor.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "common/clock.h"
#include "common/status.h"

namespace sluice::http {

// Suspends the calling coroutine until clock.Now() >= deadline. Returns OK then (at once if the
// deadline has passed), or kCancelled when the wait is cancelled through the coroutine's
// cancellation slot (e.g. the losing side of `a || b`, or the io_context being stopped).
// `clock` must outlive the wait.
boost::asio::awaitable<Status> SleepUntil(Clock& clock, TimePoint deadline);

// SleepUntil(clock, clock.Now() + duration).
boost::asio::awaitable<Status> SleepFor(Clock& clock, Duration duration);

}  // namespace sluice::http
