// The one table from an upstream's answer to a verdict: success, retry (when), or final failure,
// with the Status that explains it. Every provider adapter and the proxy classify through here,
// so "what is retryable" is decided in exactly one place. Pure; thread-safe.
//
// Rules (WIRE.md §4.4-4.5): `x-should-retry` wins outright; 2xx succeed; 408, 409, 429 and 5xx
// (529 included) are retried, except a 429 whose error code is `insufficient_quota`; every other
// status is final. Connection failures and timeouts are retried; a bad request or an oversize
// answer is not.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "http/message.h"
#include "ratelimit/feedback.h"

namespace sluice::providers {

// What the provider's answer says about its limits and when to come back.
struct LimitHints {
  // Limit, remaining and time until full, per budget the provider reports.
  std::array<ratelimit::BudgetHint, ratelimit::kBudgetCount> budgets{};
  std::optional<ratelimit::Budget> exceeded{};  // a 429: the budget that refused
  std::optional<Duration> retry_after{};        // retry-after-ms, else retry-after (seconds)
  std::optional<bool> should_retry{};           // x-should-retry

  const ratelimit::BudgetHint& hint(ratelimit::Budget budget) const {
    return budgets[ratelimit::Index(budget)];
  }
  ratelimit::BudgetHint& hint(ratelimit::Budget budget) {
    return budgets[ratelimit::Index(budget)];
  }
};

// Reads x-ratelimit-{limit,remaining,reset}-{requests,tokens} (resets as Go durations),
// retry-after-ms, retry-after and x-should-retry. Values that do not parse are left unset rather
// than guessed.
LimitHints ParseOpenAiLimitHints(const http::Headers& headers);

// The headers, and for a 429 what OpenAI's error body adds where the headers are silent: the
// budget ("type": "tokens" or "requests"), its limit ("... Limit 500, Used ...") and the wait
// ("Please try again in 644ms.").
LimitHints ParseOpenAiLimitHints(const http::Response& response);

// Reads anthropic-ratelimit-{requests,input-tokens,output-tokens}-{limit,remaining,reset} (resets
// are RFC 3339 times of full replenishment, made relative to `now`), retry-after and
// x-should-retry. For a 429 the exceeded budget is the one with the smallest share left.
LimitHints ParseAnthropicLimitHints(const http::Response& response, WallTime now);

enum class Verdict { kSuccess, kRetry, kFail };

struct Classification {
  Verdict verdict = Verdict::kFail;
  Status status;                        // OK for success; why otherwise
  std::optional<Duration> retry_after;  // the provider's wait, for kRetry
};

// True for an answer that refuses sluice's own credentials at the provider (401, 403): the
// gateway's fault, never the client's, so it reaches clients as a gateway error.
bool RejectsCredentials(int http_status);

// "upstream provider rejected sluice's credentials for deployment <name> (HTTP 401)".
std::string CredentialsRejectedMessage(std::string_view deployment, int http_status);

// Classifies an HTTP answer. `body` is read only for an error code (insufficient_quota).
Classification ClassifyResponse(int http_status, const LimitHints& hints, std::string_view body);

// Classifies a failure to get an answer at all (the http::Client's Status).
Classification ClassifyTransportFailure(const Status& failure);

}  // namespace sluice::providers
