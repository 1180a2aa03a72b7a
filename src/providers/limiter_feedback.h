// LimiterFeedback: what an attempt's Outcome tells the deployment's rate limiter, as the plain
// values ratelimit/ takes — the status, whether it timed out, the budget hints, the wait, and the
// usage the provider counted (input tokens net of cache reads, as Anthropic counts them against
// its input budget; OpenAI's accounting does not use them). Pure; thread-safe.
#pragma once

#include "providers/provider.h"
#include "ratelimit/feedback.h"

namespace sluice::providers {

ratelimit::Feedback LimiterFeedback(const Outcome& outcome);

}  // namespace sluice::providers
