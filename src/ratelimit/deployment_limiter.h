// DeploymentLimiter: everything that gates sending one more request to one provider deployment —
// a requests bucket (rpm), a tokens bucket (tpm), a cap on requests in flight, and a pause after
// a 429. Reserve before dispatch, settle after; the provider's headers correct the model. Pure:
// every call takes `now`; it lives on the scheduler's control executor. Thread-compatible.
#pragma once

#include <cstdint>
#include <optional>

#include "common/clock.h"
#include "ratelimit/token_bucket.h"

namespace sluice::ratelimit {

struct LimiterOptions {
  std::int64_t rpm = 0;    // requests per minute; 0 = no limit known
  std::int64_t tpm = 0;    // tokens per minute; 0 = no limit known
  int max_in_flight = 64;  // requests outstanding at once
  Duration window = std::chrono::minutes(1);
};

class DeploymentLimiter {
 public:
  DeploymentLimiter(LimiterOptions options, TimePoint now);

  // The earliest time a request of `tokens` may be sent, judged by the buckets and any pause:
  // `now` when it may go at once. Ignores the in-flight cap (see HasFreeSlot).
  TimePoint WhenAdmissible(std::int64_t tokens, TimePoint now) const;
  bool HasFreeSlot() const { return in_flight_ < options_.max_in_flight; }

  // Reserves one request and `tokens` when both fit now and a slot is free; false otherwise.
  bool TryAdmit(std::int64_t tokens, TimePoint now);

  // A request admitted earlier has finished (any outcome): frees its slot.
  void Release();

  // Corrects the token bucket by `delta` (reserved - actual, where the provider refunds).
  void Settle(std::int64_t delta_tokens, TimePoint now);

  // The provider's own view after a response: lowers our levels when the provider has less left
  // than we thought (never raises them: requests we sent may not have reached it yet), and
  // adopts the provider's limits when it states them.
  void ObserveRemaining(std::optional<std::int64_t> requests, std::optional<std::int64_t> tokens,
                        TimePoint now);
  void ObserveLimits(std::optional<std::int64_t> rpm, std::optional<std::int64_t> tpm,
                     TimePoint now);

  // After a 429: nothing is admitted before `until`, and the buckets are emptied so that the
  // refill, not a burst, decides what follows.
  void PauseUntil(TimePoint until, TimePoint now);

  int in_flight() const { return in_flight_; }
  // What the buckets hold now; nullopt for a limit not known.
  std::optional<double> AvailableRequests(TimePoint now) const {
    return requests_ ? std::optional(requests_->Available(now)) : std::nullopt;
  }
  std::optional<double> AvailableTokens(TimePoint now) const {
    return tokens_ ? std::optional(tokens_->Available(now)) : std::nullopt;
  }
  const LimiterOptions& options() const { return options_; }

 private:
  LimiterOptions options_;
  std::optional<TokenBucket> requests_;  // unset: unlimited
  std::optional<TokenBucket> tokens_;
  int in_flight_ = 0;
  TimePoint paused_until_{};
};

}  // namespace sluice::ratelimit
