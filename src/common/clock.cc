#include "common/clock.h"

#include <vector>

namespace sluice {

SystemClock& SystemClock::Instance() {
  static SystemClock clock;
  return clock;
}

FakeClock::FakeClock(WallTime wall_start) : now_(std::chrono::hours(1)), wall_now_(wall_start) {}

TimePoint FakeClock::Now() const {
  std::lock_guard lock(mu_);
  return now_;
}

WallTime FakeClock::WallNow() const {
  std::lock_guard lock(mu_);
  return wall_now_;
}

void FakeClock::Advance(Duration step) {
  std::vector<std::function<void()>> due;
  {
    std::lock_guard lock(mu_);
    if (step > Duration::zero()) {
      now_ += step;
      wall_now_ += std::chrono::duration_cast<WallTime::duration>(step);
    }
    auto end = waiters_.upper_bound(now_);
    for (auto it = waiters_.begin(); it != end; ++it) due.push_back(std::move(it->second.fn));
    waiters_.erase(waiters_.begin(), end);
  }
  for (auto& fn : due) fn();
}

std::uint64_t FakeClock::CallAt(TimePoint deadline, std::function<void()> fn) {
  std::uint64_t id;
  {
    std::lock_guard lock(mu_);
    id = next_id_++;
    if (deadline > now_) {
      waiters_.emplace(deadline, Waiter{id, std::move(fn)});
      return id;
    }
  }
  fn();
  return id;
}

bool FakeClock::Cancel(std::uint64_t id) {
  std::lock_guard lock(mu_);
  for (auto it = waiters_.begin(); it != waiters_.end(); ++it) {
    if (it->second.id == id) {
      waiters_.erase(it);
      return true;
    }
  }
  return false;
}

std::size_t FakeClock::PendingCallbacks() const {
  std::lock_guard lock(mu_);
  return waiters_.size();
}

}  // namespace sluice
