#include "providers/upstream_answer.h"

#include <charconv>
#include <cmath>
#include <string>

#include "common/duration.h"

namespace sluice::providers {
namespace {

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

Duration FromSeconds(double seconds) {
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds));
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
  hints.limit_requests = HeaderInt(headers, "x-ratelimit-limit-requests");
  hints.remaining_requests = HeaderInt(headers, "x-ratelimit-remaining-requests");
  hints.reset_requests = HeaderDuration(headers, "x-ratelimit-reset-requests");
  hints.limit_tokens = HeaderInt(headers, "x-ratelimit-limit-tokens");
  hints.remaining_tokens = HeaderInt(headers, "x-ratelimit-remaining-tokens");
  hints.reset_tokens = HeaderDuration(headers, "x-ratelimit-reset-tokens");
  if (auto ms = HeaderNumber(headers, "retry-after-ms")) {
    hints.retry_after = FromSeconds(*ms / 1000.0);
  } else if (auto s = HeaderNumber(headers, "retry-after")) {
    hints.retry_after = FromSeconds(*s);
  }
  if (auto retry = headers.Get("x-should-retry")) {
    if (*retry == "true") hints.should_retry = true;
    if (*retry == "false") hints.should_retry = false;
  }
  return hints;
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
