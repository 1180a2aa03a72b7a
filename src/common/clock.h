// Clock: the one source of time. Production code takes a Clock& and never reads std::chrono
// clocks directly, so tests can substitute FakeClock and move time by hand.
// SystemClock is thread-safe; FakeClock is thread-safe too (tests may read it from I/O threads).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

namespace sluice {

using Duration = std::chrono::steady_clock::duration;
using TimePoint = std::chrono::steady_clock::time_point;  // monotonic: deadlines, rates
using WallTime = std::chrono::system_clock::time_point;   // calendar: created_at, logs

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  virtual WallTime WallNow() const = 0;

  // Non-null when time only moves by hand; async timers then wait on it instead of the OS.
  virtual class FakeClock* AsFake() { return nullptr; }
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::steady_clock::now(); }
  WallTime WallNow() const override { return std::chrono::system_clock::now(); }

  // The process-wide instance.
  static SystemClock& Instance();
};

// Time stands still until Advance(). Callbacks registered with CallAt run on the thread that
// calls Advance (or CallAt, when the deadline has already passed), outside the internal lock.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(WallTime wall_start = WallTime(std::chrono::seconds(1767225600)));

  TimePoint Now() const override;
  WallTime WallNow() const override;
  FakeClock* AsFake() override { return this; }

  // Moves time forward by `step` (>= 0) and runs every callback whose deadline is now reached,
  // in deadline order.
  void Advance(Duration step);

  // Runs `fn` once Now() >= deadline. Returns an id for Cancel.
  std::uint64_t CallAt(TimePoint deadline, std::function<void()> fn);
  // Forgets the callback `id`; false when it has already run or never existed.
  bool Cancel(std::uint64_t id);
  // Number of callbacks waiting (tests use it to know a coroutine has gone to sleep).
  std::size_t PendingCallbacks() const;

 private:
  struct Waiter {
    std::uint64_t id;
    std::function<void()> fn;
  };
  mutable std::mutex mu_;
  TimePoint now_;
  WallTime wall_now_;
  std::uint64_t next_id_ = 1;
  std::multimap<TimePoint, Waiter> waiters_;
};

}  // namespace sluice
