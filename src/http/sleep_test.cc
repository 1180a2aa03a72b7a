// Tests SleepUntil/SleepFor against FakeClock (no real waiting) and SystemClock.
#include "http/sleep.h"

#include <gtest/gtest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <exception>
#include <future>
#include <optional>
#include <thread>

namespace sluice::http {
namespace {

namespace asio = boost::asio;
using std::chrono::seconds;

// Spawns SleepFor and records its Status once it finishes.
struct Sleeper {
  std::optional<Status> result;

  void Start(asio::io_context& io, Clock& clock, Duration duration,
             asio::cancellation_slot slot = {}) {
    asio::co_spawn(io, SleepFor(clock, duration),
                   asio::bind_cancellation_slot(slot, [this](std::exception_ptr e, Status s) {
                     if (!e) result = std::move(s);
                   }));
  }
};

TEST(SleepTest, FakeClockSleepEndsExactlyWhenTimeReachesTheDeadline) {
  asio::io_context io;
  FakeClock clock;
  Sleeper sleeper;
  sleeper.Start(io, clock, seconds(10));
  io.poll();
  EXPECT_EQ(clock.PendingCallbacks(), 1u);
  EXPECT_FALSE(sleeper.result.has_value());

  clock.Advance(seconds(9));
  io.poll();
  EXPECT_FALSE(sleeper.result.has_value());

  clock.Advance(seconds(1));
  io.poll();
  ASSERT_TRUE(sleeper.result.has_value());
  EXPECT_TRUE(sleeper.result->ok()) << *sleeper.result;
}

TEST(SleepTest, PassedDeadlineReturnsAtOnce) {
  asio::io_context io;
  FakeClock clock;
  Sleeper sleeper;
  sleeper.Start(io, clock, Duration::zero());
  io.poll();
  ASSERT_TRUE(sleeper.result.has_value());
  EXPECT_TRUE(sleeper.result->ok());
  EXPECT_EQ(clock.PendingCallbacks(), 0u);
}

TEST(SleepTest, CancelledFakeSleepReturnsCancelledAndForgetsItsCallback) {
  asio::io_context io;
  FakeClock clock;
  asio::cancellation_signal signal;
  Sleeper sleeper;
  sleeper.Start(io, clock, seconds(10), signal.slot());
  io.poll();
  ASSERT_EQ(clock.PendingCallbacks(), 1u);

  signal.emit(asio::cancellation_type::terminal);
  io.poll();
  ASSERT_TRUE(sleeper.result.has_value());
  EXPECT_EQ(sleeper.result->code(), StatusCode::kCancelled);
  EXPECT_EQ(clock.PendingCallbacks(), 0u);
}

TEST(SleepTest, SeveralFakeSleepersWakeInDeadlineOrder) {
  asio::io_context io;
  FakeClock clock;
  Sleeper early, late;
  late.Start(io, clock, seconds(20));
  early.Start(io, clock, seconds(10));
  io.poll();
  clock.Advance(seconds(15));
  io.poll();
  EXPECT_TRUE(early.result.has_value());
  EXPECT_FALSE(late.result.has_value());
  clock.Advance(seconds(5));
  io.poll();
  EXPECT_TRUE(late.result.has_value());
}

TEST(SleepTest, AdvanceFromAnotherThreadWakesSleeperOnTheIoThread) {
  asio::io_context io;
  auto work = asio::make_work_guard(io);
  FakeClock clock;
  std::promise<Status> done;
  asio::co_spawn(io, SleepFor(clock, seconds(5)),
                 [&](std::exception_ptr, Status s) { done.set_value(std::move(s)); });
  std::thread runner([&] { io.run(); });
  // The sleeper registers with the clock before this post runs (FIFO on one io thread).
  std::promise<void> registered;
  asio::post(io, [&] { registered.set_value(); });
  registered.get_future().wait();
  ASSERT_EQ(clock.PendingCallbacks(), 1u);

  clock.Advance(seconds(5));
  auto future = done.get_future();
  ASSERT_EQ(future.wait_for(seconds(10)), std::future_status::ready);
  EXPECT_TRUE(future.get().ok());
  work.reset();
  runner.join();
}

TEST(SleepTest, SystemClockSleepUsesARealTimer) {
  asio::io_context io;
  Sleeper sleeper;
  sleeper.Start(io, SystemClock::Instance(), std::chrono::milliseconds(1));
  io.run();
  ASSERT_TRUE(sleeper.result.has_value());
  EXPECT_TRUE(sleeper.result->ok());
}

TEST(SleepTest, CancelledSystemClockSleepReturnsCancelled) {
  asio::io_context io;
  asio::cancellation_signal signal;
  Sleeper sleeper;
  sleeper.Start(io, SystemClock::Instance(), std::chrono::hours(1), signal.slot());
  io.poll();
  signal.emit(asio::cancellation_type::terminal);
  io.run();
  ASSERT_TRUE(sleeper.result.has_value());
  EXPECT_EQ(sleeper.result->code(), StatusCode::kCancelled);
}

}  // namespace
}  // namespace sluice::http
