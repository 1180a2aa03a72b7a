#include "mock/rate_limit_reply.h"

#include <fmt/format.h>

#include "common/go_duration.h"

namespace sluice::mock {
namespace {

constexpr std::string_view kVisit =
    "Visit https://platform.openai.com/account/rate-limits to learn more.";

void AddBucket(http::Headers& headers, std::string_view kind, const BucketReport& b) {
  headers.Add(fmt::format("x-ratelimit-limit-{}", kind), std::to_string(b.limit));
  headers.Add(fmt::format("x-ratelimit-remaining-{}", kind), std::to_string(b.remaining));
  headers.Add(fmt::format("x-ratelimit-reset-{}", kind), FormatGoDuration(b.reset));
}

std::string LimitMessage(const Admission& a, std::string_view model) {
  bool requests = a.exceeded == LimitKind::kRequests;
  std::string_view what = requests ? "requests per min (RPM)" : "tokens per min (TPM)";
  const std::optional<BucketReport>& bucket = requests ? a.requests : a.tokens;
  std::int64_t limit = bucket ? bucket->limit : 0;
  if (a.never_fits) {
    return fmt::format(
        "Request too large for {} in organization org-mock on {}: Limit {}, Requested {}. The "
        "input or output tokens must be reduced in order to run successfully. {}",
        model, what, limit, a.requested, kVisit);
  }
  return fmt::format(
      "Rate limit reached for {} in organization org-mock on {}: Limit {}, Used {}, Requested "
      "{}. Please try again in {}. {}",
      model, what, limit, a.used, a.requested, FormatGoDuration(a.retry_after), kVisit);
}

}  // namespace

void AddRateLimitHeaders(http::Headers& headers, const Admission& admission) {
  if (admission.requests) AddBucket(headers, "requests", *admission.requests);
  if (admission.tokens) AddBucket(headers, "tokens", *admission.tokens);
}

http::Response RateLimitResponse(const Admission& admission, std::string_view model) {
  http::ApiError error;
  error.status = 429;
  error.type = admission.exceeded == LimitKind::kRequests ? "requests" : "tokens";
  error.code = "rate_limit_exceeded";
  error.message = LimitMessage(admission, model);
  http::Response response = http::ErrorResponse(error);
  AddRateLimitHeaders(response.headers, admission);
  if (!admission.never_fits) {
    std::int64_t ms = CeilMilliseconds(admission.retry_after);
    response.headers.Add("retry-after-ms", std::to_string(ms));
    response.headers.Add("retry-after", std::to_string((ms + 999) / 1000));
  }
  return response;
}

}  // namespace sluice::mock
