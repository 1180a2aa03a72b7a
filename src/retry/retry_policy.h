// RetryPolicy: the pure decision "retry this attempt, and when?" for one item. Exponential
// backoff with full jitter (delay uniform in [0, min(cap, base * 2^(attempt-1))]), never earlier
// than the provider's own hint (retry-after-ms / retry-after / reset headers), and a bounded
// number of attempts. Stateless apart from its options; the Random is the caller's.
#pragma once

#include <optional>

#include "common/clock.h"
#include "common/random.h"

namespace sluice::retry {

struct RetryOptions {
  int max_attempts = 10;                                 // attempts in all, the first included
  Duration base_delay = std::chrono::milliseconds(500);  // the first backoff's upper bound
  Duration max_delay = std::chrono::seconds(60);         // cap on any backoff without a hint
  Duration max_hint = std::chrono::minutes(15);          // longer hints are clamped to this
};

// Backoff between tries of a store call that failed for a transient reason (busy, disk full):
// such a call is tried until it succeeds, so max_attempts is not used.
inline constexpr RetryOptions kStoreRetry{.max_attempts = 0,
                                          .base_delay = std::chrono::milliseconds(100),
                                          .max_delay = std::chrono::seconds(10),
                                          .max_hint = std::chrono::seconds(10)};

class RetryPolicy {
 public:
  explicit RetryPolicy(RetryOptions options) : options_(options) {}

  // After a retryable failure of attempt number `attempts_made` (1 for the first), the time of
  // the next attempt, or std::nullopt when attempts are exhausted. `hint` is the provider's
  // requested wait, if it gave one.
  std::optional<TimePoint> NextAttempt(int attempts_made, std::optional<Duration> hint,
                                       TimePoint now, Random& random) const;

  // The backoff alone (no hint) for attempt `attempts_made`, drawn with full jitter.
  Duration Backoff(int attempts_made, Random& random) const;

  const RetryOptions& options() const { return options_; }

 private:
  RetryOptions options_;
};

}  // namespace sluice::retry
