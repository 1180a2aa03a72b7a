#include "providers/upstream_answer.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <string>

#include "common/duration.h"

namespace sluice::providers {
namespace {

using ratelimit::Budget;
using ratelimit::BudgetHint;

std::optional<std::int64_t> HeaderInt(const http::Headers& headers, std::string_view name) {
  auto value = headers.Get(name);
  if (!value) return std::nullopt;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
  if (ec != std::errc() || end != value->data() + value->size() || n < 0) return std::nullopt;
  return n;
}

std::optional<double> HeaderNumber(const http::Headers& headers, std::string_view name) {
  auto value = headers.Get(name);
  if (!value || value->empty() || value->size() > 32) return std::nullopt;
  std::string text(*value);
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(d) || d < 0) return std::nullopt;
  return d;
}

std::optional<Duration> HeaderDuration(const http::Headers& headers, std::string_view name) {
  auto value = headers.Get(name);
  if (!value) return std::nullopt;
  auto parsed = ParseDuration(*value);
  if (!parsed.ok()) return std::nullopt;
  return *parsed;
}

// The longest wait taken from an answer: a provider asking for more gets a day. A larger value
// would not fit Duration, nor `now + wait` (found by fuzz/fuzz_upstream_answer: retry-after 1e14).
constexpr double kMaxWaitSeconds = 24 * 3600;

Duration FromSeconds(double seconds) {
  seconds = std::min(seconds, kMaxWaitSeconds);
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds));
}

void ReadRetryHeaders(const http::Headers& headers, LimitHints& hints) {
  if (auto ms = HeaderNumber(headers, "retry-after-ms")) {
    hints.retry_after = FromSeconds(*ms / 1000.0);
  } else if (auto s = HeaderNumber(headers, "retry-after")) {
    hints.retry_after = FromSeconds(*s);
  }
  if (auto retry = headers.Get("x-should-retry")) {
    if (*retry == "true") hints.should_retry = true;
    if (*retry == "false") hints.should_retry = false;
  }
}

// The whole number after `label` in `text` ("Limit 500," -> 500; digits may be grouped by
// commas). nullopt when there is none or it has more than 18 digits (it would overflow).
std::optional<std::int64_t> NumberAfter(std::string_view text, std::string_view label) {
  std::size_t at = text.find(label);
  if (at == std::string_view::npos) return std::nullopt;
  std::int64_t n = 0;
  int digits = 0;
  for (char c : text.substr(at + label.size())) {
    if (c == ',' && digits > 0) continue;
    if (c < '0' || c > '9') break;
    if (++digits > 18) return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (digits == 0) return std::nullopt;
  return n;
}

// OpenAI's 429 body: {"error":{"message":"Rate limit reached for m ... on tokens per min (TPM):
// Limit 200000, Used 199000, Requested 1500. Please try again in 450ms. ...","type":"tokens",
// "code":"rate_limit_exceeded"}}.
void ReadOpenAiRateLimitBody(std::string_view body, LimitHints& hints) {
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(body, ec);
  if (ec || !parsed.is_object()) return;
  const boost::json::value* error = parsed.as_object().if_contains("error");
  if (error == nullptr || !error->is_object()) return;
  const boost::json::value* type = error->as_object().if_contains("type");
  const boost::json::value* message = error->as_object().if_contains("message");
  std::string_view text = message != nullptr && message->is_string()
                              ? std::string_view(message->as_string())
                              : std::string_view();
  if (type != nullptr && type->is_string() && type->as_string() == "tokens") {
    hints.exceeded = Budget::kTokens;
  } else if (type != nullptr && type->is_string() && type->as_string() == "requests") {
    hints.exceeded = Budget::kRequests;
  } else if (text.find("tokens per min") != std::string_view::npos) {
    hints.exceeded = Budget::kTokens;
  } else if (text.find("requests per min") != std::string_view::npos) {
    hints.exceeded = Budget::kRequests;
  }
  if (hints.exceeded && !hints.hint(*hints.exceeded).limit) {
    hints.hint(*hints.exceeded).limit = NumberAfter(text, "Limit ");
  }
  std::string_view wait = "Please try again in ";
  std::size_t at = text.find(wait);
  if (!hints.retry_after && at != std::string_view::npos) {
    std::string_view rest = text.substr(at + wait.size());
    std::size_t end = rest.find_first_of(". ");
    // "644ms." / "1.5s." — the sentence's full stop is not part of the duration.
    while (end != std::string_view::npos && end + 1 < rest.size() && rest[end] == '.' &&
           rest[end + 1] >= '0' && rest[end + 1] <= '9') {
      end = rest.find_first_of(". ", end + 1);
    }
    auto parsed_wait = ParseDuration(rest.substr(0, end));
    if (parsed_wait.ok()) hints.retry_after = *parsed_wait;
  }
}

// "2026-01-01T00:00:41Z", "2026-01-01T00:00:41.250Z", "2026-01-01T01:00:41+01:00".
std::optional<WallTime> ParseRfc3339(std::string_view text) {
  auto digits = [&text](std::size_t at, std::size_t n) -> std::optional<int> {
    if (at + n > text.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  auto year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
  auto hour = digits(11, 2), minute = digits(14, 2), second = digits(17, 2);
  if (!year || !month || !day || !hour || !minute || !second || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  std::chrono::year_month_day date{std::chrono::year(*year), std::chrono::month(*month),
                                   std::chrono::day(*day)};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  // WallTime counts nanoseconds in 64 bits, from 1677 to 2262; a year outside would overflow it
  // (found by fuzz/fuzz_upstream_answer). No real reset time is that far off.
  if (*year < 1970 || *year > 2200) return std::nullopt;
  WallTime at = std::chrono::sys_days(date) + std::chrono::hours(*hour) +
                std::chrono::minutes(*minute) + std::chrono::seconds(*second);
  std::size_t i = 19;
  if (i < text.size() && text[i] == '.') {
    double scale = 0.1;
    double fraction = 0;
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, scale /= 10) {
      fraction += (text[i] - '0') * scale;
    }
    at += std::chrono::duration_cast<WallTime::duration>(std::chrono::duration<double>(fraction));
  }
  if (i < text.size() && (text[i] == 'Z' || text[i] == 'z') && i + 1 == text.size()) return at;
  auto offset_hours = digits(i + 1, 2), offset_minutes = digits(i + 4, 2);
  if (i + 6 != text.size() || (text[i] != '+' && text[i] != '-') || !offset_hours ||
      !offset_minutes || text[i + 3] != ':') {
    return std::nullopt;
  }
  auto offset = std::chrono::hours(*offset_hours) + std::chrono::minutes(*offset_minutes);
  return text[i] == '+' ? at - offset : at + offset;
}

// The budget with the smallest share of its limit left, among those the answer reports.
std::optional<Budget> LeastLeft(const LimitHints& hints) {
  std::optional<Budget> least;
  double least_share = 2;
  for (Budget budget : ratelimit::kAllBudgets) {
    const BudgetHint& hint = hints.hint(budget);
    if (!hint.limit || !hint.remaining || *hint.limit <= 0) continue;
    double share = static_cast<double>(*hint.remaining) / static_cast<double>(*hint.limit);
    if (share < least_share) {
      least_share = share;
      least = budget;
    }
  }
  return least;
}

std::string StatusText(int http_status) {
  return "upstream answered " + std::to_string(http_status) + " " +
         std::string(http::ReasonPhrase(http_status));
}

StatusCode CodeForHttp(int http_status) {
  switch (http_status) {
    case 400:
      return StatusCode::kInvalidArgument;
    case 401:
      return StatusCode::kUnauthenticated;
    case 403:
      return StatusCode::kPermissionDenied;
    case 404:
      return StatusCode::kNotFound;
    case 408:
      return StatusCode::kDeadlineExceeded;
    case 409:
      return StatusCode::kAborted;
    case 422:
      return StatusCode::kInvalidArgument;
    case 429:
      return StatusCode::kResourceExhausted;
    default:
      return http_status >= 500 ? StatusCode::kUnavailable : StatusCode::kFailedPrecondition;
  }
}

bool IsRetryableHttp(int http_status) {
  return http_status == 408 || http_status == 409 || http_status == 429 || http_status >= 500;
}

}  // namespace

LimitHints ParseOpenAiLimitHints(const http::Headers& headers) {
  LimitHints hints;
  for (auto [budget, name] :
       {std::pair{Budget::kRequests, "requests"}, std::pair{Budget::kTokens, "tokens"}}) {
    std::string suffix(name);
    BudgetHint& hint = hints.hint(budget);
    hint.limit = HeaderInt(headers, "x-ratelimit-limit-" + suffix);
    hint.remaining = HeaderInt(headers, "x-ratelimit-remaining-" + suffix);
    hint.reset = HeaderDuration(headers, "x-ratelimit-reset-" + suffix);
  }
  ReadRetryHeaders(headers, hints);
  return hints;
}

LimitHints ParseOpenAiLimitHints(const http::Response& response) {
  LimitHints hints = ParseOpenAiLimitHints(response.headers);
  if (response.status == 429) ReadOpenAiRateLimitBody(response.body, hints);
  return hints;
}

LimitHints ParseAnthropicLimitHints(const http::Response& response, WallTime now) {
  LimitHints hints;
  for (auto [budget, name] :
       {std::pair{Budget::kRequests, "requests"}, std::pair{Budget::kInputTokens, "input-tokens"},
        std::pair{Budget::kOutputTokens, "output-tokens"}}) {
    std::string prefix = "anthropic-ratelimit-" + std::string(name) + "-";
    BudgetHint& hint = hints.hint(budget);
    hint.limit = HeaderInt(response.headers, prefix + "limit");
    hint.remaining = HeaderInt(response.headers, prefix + "remaining");
    if (auto reset = response.headers.Get(prefix + "reset")) {
      if (auto at = ParseRfc3339(*reset)) {
        hint.reset = std::max(Duration::zero(), std::chrono::duration_cast<Duration>(*at - now));
      }
    }
  }
  ReadRetryHeaders(response.headers, hints);
  if (response.status == 429) hints.exceeded = LeastLeft(hints);
  return hints;
}

bool RejectsCredentials(int http_status) { return http_status == 401 || http_status == 403; }

std::string CredentialsRejectedMessage(std::string_view deployment, int http_status) {
  return "upstream provider rejected sluice's credentials for deployment " +
         std::string(deployment) + " (HTTP " + std::to_string(http_status) + ")";
}

Classification ClassifyResponse(int http_status, const LimitHints& hints, std::string_view body) {
  if (http_status >= 200 && http_status < 300) return {Verdict::kSuccess, OkStatus(), {}};
  Status status(CodeForHttp(http_status), StatusText(http_status));
  bool retry = IsRetryableHttp(http_status);
  // A quota is not a rate: waiting does not help until someone pays.
  if (http_status == 429 && body.find("\"insufficient_quota\"") != std::string_view::npos) {
    retry = false;
    status = FailedPreconditionError(StatusText(http_status) + ": insufficient_quota");
  }
  if (hints.should_retry) retry = *hints.should_retry;
  if (!retry) return {Verdict::kFail, status, {}};
  return {Verdict::kRetry, status, hints.retry_after};
}

Classification ClassifyTransportFailure(const Status& failure) {
  switch (failure.code()) {
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded:
    case StatusCode::kAborted:
      return {Verdict::kRetry, failure, {}};
    default:
      return {Verdict::kFail, failure, {}};
  }
}

}  // namespace sluice::providers
