// TokenBucket: a bucket of `capacity` units refilled continuously at capacity per `window`, the
// way OpenAI's per-minute limits behave. Pure: time is passed in. Thread-compatible.
#pragma once

#include <cstdint>

#include "common/clock.h"

namespace sluice::mock {

class TokenBucket {
 public:
  // Starts full at `now`. `capacity` > 0; `window` > 0 (one minute for RPM/TPM).
  TokenBucket(std::int64_t capacity, Duration window, TimePoint now);

  std::int64_t capacity() const { return capacity_; }

  // Units available at `now` (fractional), after refill. `now` earlier than a previous call is
  // treated as that call's time.
  double Available(TimePoint now);
  // Whole units available at `now`, as in x-ratelimit-remaining-*.
  std::int64_t Remaining(TimePoint now);

  // How long until `cost` units are available (zero if they are now). Infinite (Duration::max())
  // when `cost` exceeds the capacity.
  Duration TimeUntilAvailable(std::int64_t cost, TimePoint now);
  // How long until the bucket is full again (x-ratelimit-reset-*).
  Duration TimeUntilFull(TimePoint now);

  // Takes `cost` units if available now and returns true; otherwise leaves the bucket alone.
  bool TryTake(std::int64_t cost, TimePoint now);
  // Takes `cost` units whatever is available: the level may go below zero (a debt that refill
  // pays back before anything is available again).
  void Take(std::int64_t cost, TimePoint now);

 private:
  void Refill(TimePoint now);
  Duration TimeFor(double units) const;

  std::int64_t capacity_;
  double window_ns_;
  double level_;
  TimePoint last_;
};

}  // namespace sluice::mock
