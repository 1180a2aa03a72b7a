// What each kind of provider charges to which budget: at admission (what the limiter reserves
// before sending) and finally (what the provider counts once it has answered). Pure functions;
// thread-safe.
#pragma once

#include <optional>

#include "ratelimit/feedback.h"

namespace sluice::ratelimit {

// Whether `accounting` meters `budget` (OpenAI: requests and tokens; Anthropic: requests, input
// and output tokens).
bool Meters(Accounting accounting, Budget budget);

// The admission charge of a request. kOpenAi: 1 request and prompt + max output tokens (what
// OpenAI counts at admission). kAnthropic: 1 request, the prompt on input tokens and
// `expected_output` (no more than the output cap, when known) on output tokens, since Anthropic
// counts the output actually produced, not the cap.
Amounts AdmissionCharges(Accounting accounting, const Cost& cost, double expected_output);

// What the provider finally counts for an answered attempt when that differs from the admission
// charge: kAnthropic with usage: the real input and output tokens. nullopt otherwise — OpenAI's
// admission charge stands (unused output is not given back within the window), and an attempt
// without usage (an error, no answer) is left as charged.
std::optional<Amounts> FinalCharges(Accounting accounting, const Amounts& admitted,
                                    const Feedback& feedback);

}  // namespace sluice::ratelimit
