// The one table from an upstream's answer to a verdict: success, retry (when), or final failure,
// with the Status that explains it. Every provider adapter and the proxy classify through here,
// so "what is retryable" is decided in exactly one place. Pure; thread-safe.
//
// Rules (WIRE.md §4.4-4.5): `x-should-retry` wins outright; 2xx succeed; 408, 409, 429 and 5xx
// (529 included) are retried, except a 429 whose error code is `insufficient_quota`; every other
// status is final. Connection failures and timeouts are retried; a bad request or an oversize
// answer is not.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "http/message.h"

namespace sluice::providers {

// What the provider's headers say about its limits and when to come back.
struct LimitHints {
  std::optional<std::int64_t> limit_requests;
  std::optional<std::int64_t> remaining_requests;
  std::optional<Duration> reset_requests;  // until the requests budget is full again
  std::optional<std::int64_t> limit_tokens;
  std::optional<std::int64_t> remaining_tokens;
  std::optional<Duration> reset_tokens;
  std::optional<Duration> retry_after;  // retry-after-ms, else retry-after (seconds)
  std::optional<bool> should_retry;     // x-should-retry
};

// Reads x-ratelimit-*, retry-after-ms, retry-after and x-should-retry. Values that do not parse
// are left unset rather than guessed.
LimitHints ParseOpenAiLimitHints(const http::Headers& headers);

enum class Verdict { kSuccess, kRetry, kFail };

struct Classification {
  Verdict verdict = Verdict::kFail;
  Status status;                        // OK for success; why otherwise
  std::optional<Duration> retry_after;  // the provider's wait, for kRetry
};

// Classifies an HTTP answer. `body` is read only for an error code (insufficient_quota).
Classification ClassifyResponse(int http_status, const LimitHints& hints, std::string_view body);

// Classifies a failure to get an answer at all (the http::Client's Status).
Classification ClassifyTransportFailure(const Status& failure);

}  // namespace sluice::providers
