// TokenBucket: a bucket of `capacity` units refilled continuously at capacity per window — the
// model OpenAI and Anthropic apply to requests and tokens per minute. Pure: every call takes
// `now`. The level may go below zero when a settled cost exceeds its reservation (a debt that the
// refill pays back). Thread-compatible.
#pragma once

#include "common/clock.h"

namespace sluice::ratelimit {

class TokenBucket {
 public:
  // Starts full.
  TokenBucket(double capacity, Duration window, TimePoint now);

  double capacity() const { return capacity_; }
  double Available(TimePoint now) const;

  // The earliest time `cost` fits (now when it already does). A cost larger than the capacity
  // fits when the bucket is full, so an oversize request is slow, not impossible.
  TimePoint WhenAvailable(double cost, TimePoint now) const;

  // Takes `cost` when it fits now; false (and nothing taken) otherwise.
  bool TryTake(double cost, TimePoint now);

  // Adds `delta` units (positive: a reservation was too large; negative: too small).
  void Adjust(double delta, TimePoint now);

  // Sets the level, e.g. to what the provider says remains; clamped to the capacity.
  void SetAvailable(double level, TimePoint now);

  // Changes the capacity (and with it the refill rate), keeping the level.
  void SetCapacity(double capacity, TimePoint now);

 private:
  void Refill(TimePoint now);
  double EffectiveCost(double cost) const { return cost < capacity_ ? cost : capacity_; }

  double capacity_;
  Duration window_;
  double level_;
  TimePoint updated_;
};

}  // namespace sluice::ratelimit
