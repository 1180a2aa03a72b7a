#include "mock/anthropic_limiter.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <ctime>

namespace sluice::mock {
namespace {

constexpr Duration kMinute = std::chrono::minutes(1);

std::optional<TokenBucket> MaybeBucket(std::int64_t limit, TimePoint now) {
  if (limit <= 0) return std::nullopt;
  return TokenBucket(limit, kMinute, now);
}

std::optional<BucketReport> ReportOf(std::optional<TokenBucket>& bucket, TimePoint now) {
  if (!bucket) return std::nullopt;
  return BucketReport{bucket->capacity(), std::max<std::int64_t>(0, bucket->Remaining(now)),
                      bucket->TimeUntilFull(now)};
}

// "2026-12-06T21:04:05Z": the second the bucket is full again (rounded up).
std::string ResetTime(WallTime wall, Duration reset) {
  auto seconds = std::chrono::ceil<std::chrono::seconds>(wall.time_since_epoch() + reset);
  std::time_t t = static_cast<std::time_t>(seconds.count());
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::int64_t RoundToThousand(std::int64_t n) { return (n + 500) / 1000 * 1000; }

void AddBucket(http::Headers& headers, std::string_view kind, const BucketReport& b, WallTime wall,
               bool round) {
  headers.Add(fmt::format("anthropic-ratelimit-{}-limit", kind), std::to_string(b.limit));
  headers.Add(fmt::format("anthropic-ratelimit-{}-remaining", kind),
              std::to_string(round ? RoundToThousand(b.remaining) : b.remaining));
  headers.Add(fmt::format("anthropic-ratelimit-{}-reset", kind), ResetTime(wall, b.reset));
}

std::string_view LimitName(AnthropicLimit limit) {
  switch (limit) {
    case AnthropicLimit::kRequests:
      return "requests";
    case AnthropicLimit::kInputTokens:
      return "input tokens";
    case AnthropicLimit::kOutputTokens:
      return "output tokens";
    case AnthropicLimit::kNone:
      break;
  }
  return "requests";
}

}  // namespace

AnthropicLimiter::AnthropicLimiter(std::int64_t rpm, std::int64_t itpm, std::int64_t otpm)
    : rpm_(rpm), itpm_(itpm), otpm_(otpm) {}

AnthropicLimiter::Buckets& AnthropicLimiter::BucketsFor(std::string_view key, TimePoint now) {
  auto it = keys_.find(key);
  if (it == keys_.end()) {
    Buckets b{MaybeBucket(rpm_, now), MaybeBucket(itpm_, now), MaybeBucket(otpm_, now)};
    it = keys_.emplace(std::string(key), std::move(b)).first;
  }
  return it->second;
}

AnthropicAdmission AnthropicLimiter::Admit(std::string_view key, std::int64_t input_tokens,
                                           TimePoint now) {
  Buckets& b = BucketsFor(key, now);
  AnthropicAdmission a;
  auto refuse = [&](AnthropicLimit limit, TokenBucket& bucket, std::int64_t cost) {
    a.admitted = false;
    a.exceeded = limit;
    a.limit = bucket.capacity();
    a.never_fits = cost > bucket.capacity();
    if (!a.never_fits) a.retry_after = bucket.TimeUntilAvailable(cost, now);
  };
  if (b.requests && b.requests->Available(now) + 1e-9 < 1) {
    refuse(AnthropicLimit::kRequests, *b.requests, 1);
  } else if (b.input && b.input->Available(now) + 1e-9 < static_cast<double>(input_tokens)) {
    refuse(AnthropicLimit::kInputTokens, *b.input, input_tokens);
  } else if (b.output && b.output->Available(now) < 1) {
    refuse(AnthropicLimit::kOutputTokens, *b.output, 1);
  }
  if (!a.admitted) return a;
  if (b.requests) b.requests->Take(1, now);
  if (b.input) b.input->Take(input_tokens, now);
  return a;
}

void AnthropicLimiter::ChargeOutput(std::string_view key, std::int64_t output_tokens,
                                    TimePoint now) {
  Buckets& b = BucketsFor(key, now);
  if (b.output) b.output->Take(output_tokens, now);
}

AnthropicBuckets AnthropicLimiter::Report(std::string_view key, TimePoint now) {
  Buckets& b = BucketsFor(key, now);
  return {ReportOf(b.requests, now), ReportOf(b.input, now), ReportOf(b.output, now)};
}

void AddAnthropicLimitHeaders(http::Headers& headers, const AnthropicBuckets& buckets,
                              WallTime wall) {
  if (buckets.requests) AddBucket(headers, "requests", *buckets.requests, wall, false);
  if (buckets.input_tokens) AddBucket(headers, "input-tokens", *buckets.input_tokens, wall, true);
  if (buckets.output_tokens) {
    AddBucket(headers, "output-tokens", *buckets.output_tokens, wall, true);
  }
  const std::optional<BucketReport>* tighter = &buckets.input_tokens;
  if (!*tighter || (buckets.output_tokens &&
                    buckets.output_tokens->remaining < buckets.input_tokens->remaining)) {
    tighter = &buckets.output_tokens;
  }
  if (*tighter) AddBucket(headers, "tokens", **tighter, wall, true);
}

http::Response AnthropicErrorResponse(const http::ApiError& error, std::string_view request_id) {
  boost::json::object body{{"type", "error"},
                           {"error", {{"type", error.type}, {"message", error.message}}},
                           {"request_id", request_id}};
  http::Response response = http::JsonResponse(error.status, boost::json::serialize(body));
  response.headers.Set("request-id", std::string(request_id));
  return response;
}

http::Response AnthropicRateLimitResponse(const AnthropicAdmission& admission,
                                          const AnthropicBuckets& buckets, std::string_view model,
                                          WallTime wall, std::string_view request_id) {
  std::string message = fmt::format(
      "This request would exceed your organization's rate limit of {} {} per minute (org: "
      "00000000-0000-0000-0000-000000000000, model: {}). For details, refer to: "
      "https://docs.claude.com/en/api/rate-limits. You can see the response headers for current "
      "usage. Please reduce the prompt length or the maximum tokens requested, or try again "
      "later. You may also contact sales at https://claude.com/contact-sales to discuss your "
      "options for a rate limit increase.",
      fmt::group_digits(admission.limit), LimitName(admission.exceeded), model);
  http::Response response = AnthropicErrorResponse(
      {429, "rate_limit_error", std::move(message), std::nullopt, std::nullopt}, request_id);
  AddAnthropicLimitHeaders(response.headers, buckets, wall);
  if (!admission.never_fits) {
    auto seconds = std::chrono::ceil<std::chrono::seconds>(admission.retry_after).count();
    response.headers.Add("retry-after", std::to_string(std::max<std::int64_t>(1, seconds)));
  }
  return response;
}

}  // namespace sluice::mock
