// LimitEstimate: what one budget's limit per window is believed to be, and why — the
// configuration, the provider's own statement (x-ratelimit-limit-*, which always wins), or an
// inference from what remains and how long until the budget is full again: under continuous
// refill at limit per window, remaining = limit × (1 − reset / window). Pure; thread-compatible.
#pragma once

#include <array>
#include <cstdint>

#include "ratelimit/feedback.h"

namespace sluice::ratelimit {

enum class LimitSource { kUnknown, kConfigured, kInferred, kStated };

class LimitEstimate {
 public:
  explicit LimitEstimate(std::int64_t configured);  // 0: unknown

  std::int64_t value() const { return value_; }  // 0 while unknown
  LimitSource source() const { return source_; }
  std::int64_t configured() const { return configured_; }

  // Learns from one answer's hint for this budget; true when value() changed. A stated limit is
  // adopted at once. An inferred one needs three usable samples (enough remaining, a reset at
  // least two seconds short of a whole window) and is adopted when their median differs from
  // the current value by more than 2 %.
  bool Observe(const BudgetHint& hint, Duration window);

  // The provider refused what this budget should have allowed and states no limit: believe 20 %
  // less. True when value() changed (never for a stated or unknown limit).
  bool Shrink();

 private:
  static constexpr std::size_t kSamples = 5;

  bool Adopt(std::int64_t value, LimitSource source);

  std::int64_t configured_;
  std::int64_t value_;
  LimitSource source_;
  std::array<double, kSamples> samples_{};
  std::size_t sample_count_ = 0;  // samples seen since the last adoption (the ring holds 5)
};

}  // namespace sluice::ratelimit
