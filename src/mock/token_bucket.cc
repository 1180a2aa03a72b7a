#include "mock/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace sluice::mock {

TokenBucket::TokenBucket(std::int64_t capacity, Duration window, TimePoint now)
    : capacity_(capacity),
      window_ns_(static_cast<double>(std::chrono::nanoseconds(window).count())),
      level_(static_cast<double>(capacity)),
      last_(now) {}

void TokenBucket::Refill(TimePoint now) {
  if (now <= last_) return;
  auto elapsed_ns = static_cast<double>(std::chrono::nanoseconds(now - last_).count());
  level_ = std::min(static_cast<double>(capacity_),
                    level_ + elapsed_ns * static_cast<double>(capacity_) / window_ns_);
  last_ = now;
}

Duration TokenBucket::TimeFor(double units) const {
  if (units <= 0) return Duration::zero();
  // Rounded to the nearest nanosecond so that float noise cannot push "9ms" to "10ms" once the
  // caller rounds up to milliseconds.
  return std::chrono::nanoseconds(
      std::llround(units * window_ns_ / static_cast<double>(capacity_)));
}

double TokenBucket::Available(TimePoint now) {
  Refill(now);
  return level_;
}

std::int64_t TokenBucket::Remaining(TimePoint now) {
  // A tiny epsilon so that a level of 4.9999999 after float refill reads as 5.
  return static_cast<std::int64_t>(std::floor(Available(now) + 1e-9));
}

Duration TokenBucket::TimeUntilAvailable(std::int64_t cost, TimePoint now) {
  if (cost > capacity_) return Duration::max();
  return TimeFor(static_cast<double>(cost) - Available(now));
}

Duration TokenBucket::TimeUntilFull(TimePoint now) {
  return TimeFor(static_cast<double>(capacity_) - Available(now));
}

bool TokenBucket::TryTake(std::int64_t cost, TimePoint now) {
  if (Available(now) + 1e-9 < static_cast<double>(cost)) return false;
  level_ -= static_cast<double>(cost);
  return true;
}

void TokenBucket::Take(std::int64_t cost, TimePoint now) {
  Refill(now);
  level_ -= static_cast<double>(cost);
}

}  // namespace sluice::mock
