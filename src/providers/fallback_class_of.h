// Which fallback class (common/fallback_class.h) a request's final outcome belongs to: the one
// table behind every fallback decision, for batch items and the proxy alike. Pure; thread-safe.
//
// - unavailable: no answer at all (refused, reset, timed out), 408, 409, 5xx (Anthropic's 529
//   included), and 401/403 (the provider refuses sluice's key for that deployment);
// - rate_limited: 429 (rate limits the retries did not outlast, and OpenAI's insufficient_quota);
// - context_window: OpenAI's 400 `context_length_exceeded` ("This model's maximum context length
//   is ..."), Anthropic's invalid_request_error "prompt is too long: ..." and "input length and
//   `max_tokens` exceed context limit: ..." (relayed in OpenAI's shape with that message);
// - content_policy: an error coded `content_policy_violation` (OpenAI) or `content_filter`
//   (Azure OpenAI), OpenAI's `invalid_prompt` usage-policy refusal, and a 200 whose every choice
//   finished with `content_filter` (Anthropic's `refusal` stop reason, translated);
// - nothing for successes and the client's own mistakes (other 4xx, refusals of the adapter).
#pragma once

#include <optional>

#include "common/fallback_class.h"
#include "providers/provider.h"

namespace sluice::providers {

std::optional<FallbackClass> FallbackClassOf(const Outcome& outcome);

}  // namespace sluice::providers
