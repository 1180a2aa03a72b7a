// SleepUntil for both clocks. The FakeClock path parks on a steady_timer that never expires by
// itself; the clock's callback posts to the waiter's executor and moves the expiry to "now".
#include "http/sleep.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

namespace sluice::http {
namespace asio = boost::asio;

namespace {

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

struct FakeWait {
  explicit FakeWait(asio::any_io_executor executor) : timer(executor, TimePoint::max()) {}
  asio::steady_timer timer;
  bool reached = false;  // touched only on the waiter's executor
};

// Forgets the FakeClock registration when the waiting coroutine ends or is destroyed, so the
// clock never posts to an executor that is gone.
class CallAtGuard {
 public:
  CallAtGuard(FakeClock& clock, std::uint64_t id) : clock_(clock), id_(id) {}
  CallAtGuard(const CallAtGuard&) = delete;
  CallAtGuard& operator=(const CallAtGuard&) = delete;
  ~CallAtGuard() { clock_.Cancel(id_); }

 private:
  FakeClock& clock_;
  std::uint64_t id_;
};

asio::awaitable<Status> FakeSleepUntil(FakeClock& clock, TimePoint deadline) {
  auto executor = co_await asio::this_coro::executor;
  auto wait = std::make_shared<FakeWait>(executor);
  CallAtGuard guard(clock, clock.CallAt(deadline, [wait, executor] {
    asio::post(executor, [wait] {
      wait->reached = true;
      wait->timer.expires_after(Duration::zero());  // also completes a wait already pending
    });
  }));
  while (!wait->reached) {
    auto [ec] = co_await wait->timer.async_wait(kAwait);
    if (ec && !wait->reached) co_return CancelledError("sleep cancelled");
  }
  co_return OkStatus();
}

}  // namespace

asio::awaitable<Status> SleepUntil(Clock& clock, TimePoint deadline) {
  if (clock.Now() >= deadline) co_return OkStatus();
  if (FakeClock* fake = clock.AsFake()) co_return co_await FakeSleepUntil(*fake, deadline);
  asio::steady_timer timer(co_await asio::this_coro::executor, deadline);
  auto [ec] = co_await timer.async_wait(kAwait);
  if (ec) co_return CancelledError("sleep cancelled");
  co_return OkStatus();
}

asio::awaitable<Status> SleepFor(Clock& clock, Duration duration) {
  return SleepUntil(clock, clock.Now() + duration);
}

}  // namespace sluice::http
