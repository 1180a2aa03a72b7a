#include "cost/prices.h"

#include <algorithm>

namespace sluice::cost {

double UsageCost(const Prices& prices, std::int64_t prompt_tokens, std::int64_t cached_tokens,
                 std::int64_t completion_tokens) {
  std::int64_t cached = std::clamp<std::int64_t>(cached_tokens, 0, prompt_tokens);
  return (static_cast<double>(prompt_tokens - cached) * prices.input +
          static_cast<double>(cached) * prices.cached_input +
          static_cast<double>(completion_tokens) * prices.output) /
         1e6;
}

double MaximumCost(const Prices& prices, std::int64_t prompt_tokens,
                   std::int64_t max_output_tokens) {
  return UsageCost(prices, prompt_tokens, 0, max_output_tokens);
}

}  // namespace sluice::cost
