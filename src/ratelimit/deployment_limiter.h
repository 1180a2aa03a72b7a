// DeploymentLimiter: everything that gates sending one more request to one provider deployment,
// kept in step with the provider. One continuously refilled bucket per budget the provider meters
// (requests and tokens; Anthropic: requests, input and output tokens), created once the budget's
// limit is known (configured, stated by the provider, or inferred); a concurrency window that
// adapts (ConcurrencyWindow); and a pause after an overload. A dispatch reserves what the
// provider charges at admission; every answer is then observed: the provider's limits are
// adopted, its remaining budget corrects ours (both ways), a 429 empties the budget it names
// until its retry-after, and real usage settles the reservation where the provider counts usage.
// Pure: every call takes `now`; it lives on the scheduler's control executor. Thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/clock.h"
#include "ratelimit/admission_log.h"
#include "ratelimit/concurrency_window.h"
#include "ratelimit/feedback.h"
#include "ratelimit/limit_estimate.h"
#include "ratelimit/token_bucket.h"

namespace sluice::ratelimit {

struct LimiterOptions {
  std::string name{};  // in the line logged when the limits change, e.g. "gpt-4o-mini#0"
  Accounting accounting = Accounting::kOpenAi;
  std::int64_t rpm = 0;         // requests per window; 0: learn from the provider
  std::int64_t tpm = 0;         // tokens per window (OpenAI accounting); 0: learn
  std::int64_t input_tpm = 0;   // input tokens per window (Anthropic accounting); 0: learn
  std::int64_t output_tpm = 0;  // output tokens per window (Anthropic accounting); 0: learn
  int max_in_flight = 64;       // the ceiling of the concurrency window
  Duration window = std::chrono::minutes(1);
};

class DeploymentLimiter {
 public:
  // With every metered limit configured the concurrency window starts at max_in_flight (the
  // buckets pace the start); otherwise it starts at kProbingStart and widens as answers come.
  static constexpr int kProbingStart = 4;

  DeploymentLimiter(LimiterOptions options, TimePoint now);

  // The earliest time a request of `cost` may be sent, judged by the buckets and any pause:
  // `now` when it may go at once. Ignores the concurrency window (see HasFreeSlot). The int64
  // forms take an unsplit estimate (prompt + output cap, OpenAI's admission charge).
  TimePoint WhenAdmissible(const Cost& cost, TimePoint now) const;
  TimePoint WhenAdmissible(std::int64_t tokens, TimePoint now) const;
  bool HasFreeSlot() const { return in_flight_ < window_.limit(); }

  // Reserves the admission charge of `cost` when it fits now and a slot is free; false (and
  // nothing reserved) otherwise.
  bool TryAdmit(const Cost& cost, TimePoint now);
  bool TryAdmit(std::int64_t tokens, TimePoint now);

  // A request admitted earlier has finished (any outcome): frees its slot.
  void Release();

  // Learns from the answer to (or failure of) an admitted request; call once per admission, in
  // any order relative to Release. Returns a line to log when the provider's limits as known
  // here changed ("gpt-4o-mini#0: provider limits are 500 rpm, 200000 tpm (configured 1000
  // rpm, 400000 tpm)"), nullopt otherwise.
  [[nodiscard]] std::optional<std::string> Observe(const Feedback& feedback, TimePoint now);

  int in_flight() const { return in_flight_; }
  int concurrency_limit() const { return window_.limit(); }
  // The limit per window believed for `budget`; 0 while unknown or not metered.
  std::int64_t limit(Budget budget) const;
  // What our bucket for `budget` holds at `now`; nullopt while its limit is unknown.
  std::optional<double> Available(Budget budget, TimePoint now) const;
  std::optional<double> AvailableRequests(TimePoint now) const {
    return Available(Budget::kRequests, now);
  }
  std::optional<double> AvailableTokens(TimePoint now) const {
    return Available(Budget::kTokens, now);
  }
  // As constructed, except that rpm, tpm, input_tpm and output_tpm follow the limits believed now
  // (configured, stated or inferred; 0 while unknown).
  const LimiterOptions& options() const { return options_; }

 private:
  struct Meter {
    bool metered = false;
    LimitEstimate estimate{0};
    std::optional<TokenBucket> bucket;  // set once the limit is known
    double largest_charge = 0;          // the largest single admission charge seen
    TimePoint unbound_at{};             // the last admission that left it well above empty
    TimePoint last_shrink{TimePoint::min()};
  };

  // How far our level may be off the provider's before it is raised to it: the estimate's noise.
  static double RaiseTolerance(const Meter& m);

  Amounts ChargesOf(const Cost& cost) const;
  bool LearnLimits(const Feedback& feedback, TimePoint now);
  // Sizes `budget`'s bucket (creating it if need be) to the limit now believed.
  void AdoptLimit(Budget budget, TimePoint now);
  void Settle(const AdmissionLog::Entry& entry, const Feedback& feedback, TimePoint now);
  void Correct(const AdmissionLog::Entry& entry, const Feedback& feedback, TimePoint now);
  bool OnRateLimited(const AdmissionLog::Entry& entry, const Feedback& feedback, TimePoint now);
  void OnOverload(const AdmissionLog::Entry& entry, const Feedback& feedback, TimePoint now);
  std::string LimitsNews() const;

  Meter& meter(Budget budget) { return meters_[Index(budget)]; }
  const Meter& meter(Budget budget) const { return meters_[Index(budget)]; }

  LimiterOptions options_;
  std::array<Meter, kBudgetCount> meters_;
  ConcurrencyWindow window_;
  AdmissionLog admissions_;
  int in_flight_ = 0;
  TimePoint paused_until_{};
  double expected_output_ = 256;  // Anthropic: mean output tokens per answer, learned
};

}  // namespace sluice::ratelimit
