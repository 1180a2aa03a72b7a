// Prices and what a request costs under them (OpenAI-style usage, where cached tokens are part
// of the prompt tokens). Rates are configuration: they change often and differ by contract.
// Pure; thread-safe.
#pragma once

#include <cstdint>

namespace sluice::cost {

// US dollars per million tokens.
struct Prices {
  double input = 0;         // uncached prompt tokens
  double cached_input = 0;  // prompt tokens served from the provider's cache
  double output = 0;        // completion tokens (reasoning included)
};

// (prompt − cached)·input + cached·cached_input + completion·output, in dollars.
double UsageCost(const Prices& prices, std::int64_t prompt_tokens, std::int64_t cached_tokens,
                 std::int64_t completion_tokens);

// The most a request can cost before it is sent: its prompt estimate at the uncached rate and
// its whole output cap at the output rate.
double MaximumCost(const Prices& prices, std::int64_t prompt_tokens,
                   std::int64_t max_output_tokens);

}  // namespace sluice::cost
