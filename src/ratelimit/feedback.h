// The limiter's vocabulary: the budgets a provider meters (requests, tokens, and Anthropic's
// separate input and output tokens), what a request asks of them before it is sent (Cost), and
// what one answer says about them afterwards (Feedback). providers/ fills Feedback from headers,
// body and usage; ratelimit/ never sees HTTP. Plain values; thread-compatible.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "common/clock.h"

namespace sluice::ratelimit {

enum class Budget { kRequests = 0, kTokens, kInputTokens, kOutputTokens };
inline constexpr std::size_t kBudgetCount = 4;
inline constexpr std::array<Budget, kBudgetCount> kAllBudgets = {
    Budget::kRequests, Budget::kTokens, Budget::kInputTokens, Budget::kOutputTokens};

// One amount per budget, indexed by Budget.
using Amounts = std::array<double, kBudgetCount>;

constexpr std::size_t Index(Budget budget) { return static_cast<std::size_t>(budget); }

// "rpm", "tpm", "input tpm", "output tpm".
constexpr std::string_view BudgetUnit(Budget budget) {
  constexpr std::array<std::string_view, kBudgetCount> kUnits = {"rpm", "tpm", "input tpm",
                                                                 "output tpm"};
  return kUnits[Index(budget)];
}

// How a provider charges its budgets (WIRE.md §4.2-4.3).
enum class Accounting {
  // OpenAI and compatible servers: one request and prompt + n × output cap tokens, charged at
  // admission; unused output is not given back within the window.
  kOpenAi,
  // Anthropic: one request; input tokens (uncached input and cache writes) estimated at admission
  // and corrected to the real count; output tokens as they are produced (the cap is ignored).
  kAnthropic,
};

// What a request asks of the budgets before it is sent (the admission estimate).
struct Cost {
  std::int64_t prompt_tokens = 0;      // the prompt estimate (or the whole estimate, when unsplit)
  std::int64_t max_output_tokens = 0;  // n × the output cap; 0 when unknown or none
};

// One budget as the provider's headers describe it.
struct BudgetHint {
  std::optional<std::int64_t> limit{};      // per window (x-ratelimit-limit-*)
  std::optional<std::int64_t> remaining{};  // after the provider charged this request
  std::optional<Duration> reset{};          // until the budget is full again
};

// What one attempt's answer (or the lack of one) tells the limiter.
struct Feedback {
  int status_code = 0;     // the HTTP status; 0 when no answer arrived
  bool timed_out = false;  // no answer within the attempt's deadline
  std::array<BudgetHint, kBudgetCount> budgets{};
  std::optional<Budget> exceeded{};       // a 429's budget, when the provider says which
  std::optional<Duration> retry_after{};  // the provider's wait
  bool has_usage = false;                 // the answer reported its usage
  std::int64_t input_tokens = 0;          // usage counted against input budgets
  std::int64_t output_tokens = 0;         // usage counted against output budgets

  const BudgetHint& hint(Budget budget) const { return budgets[Index(budget)]; }
  BudgetHint& hint(Budget budget) { return budgets[Index(budget)]; }
};

}  // namespace sluice::ratelimit
