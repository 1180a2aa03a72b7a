// AnthropicLimiter: Anthropic-style per-API-key limits — requests (RPM), input tokens (ITPM) and
// output tokens (OTPM) per minute, each a continuously refilled bucket. ITPM is charged at
// admission with what Anthropic counts (uncached input plus cache writes; cache reads are free);
// OTPM is charged after the answer with the output actually generated (max_tokens is ignored),
// so it may run into debt that later requests wait out. Pure: `now` is passed in.
// Thread-compatible (the mock uses it from its one io thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "http/message.h"
#include "mock/rate_limiter.h"
#include "mock/token_bucket.h"

namespace sluice::mock {

enum class AnthropicLimit { kNone, kRequests, kInputTokens, kOutputTokens };

struct AnthropicBuckets {
  std::optional<BucketReport> requests;  // nullopt: unlimited
  std::optional<BucketReport> input_tokens;
  std::optional<BucketReport> output_tokens;
};

struct AnthropicAdmission {
  bool admitted = true;
  AnthropicLimit exceeded = AnthropicLimit::kNone;  // the limit that refused the request
  bool never_fits = false;                          // the input alone is more than the ITPM limit
  Duration retry_after{0};  // refused and fits later: until every bucket allows it
  std::int64_t limit = 0;   // refused: the exceeded limit
};

class AnthropicLimiter {
 public:
  // Limits per key and minute; 0 means unlimited.
  AnthropicLimiter(std::int64_t rpm, std::int64_t itpm, std::int64_t otpm);

  // Charges one request and `input_tokens` if every bucket has room at `now` (the output bucket
  // needs only to be out of debt); otherwise charges nothing and says which limit refused.
  AnthropicAdmission Admit(std::string_view key, std::int64_t input_tokens, TimePoint now);
  // Charges the output an admitted request generated.
  void ChargeOutput(std::string_view key, std::int64_t output_tokens, TimePoint now);
  // The key's buckets at `now`, as the anthropic-ratelimit-* headers describe them.
  AnthropicBuckets Report(std::string_view key, TimePoint now);

  void Clear() { keys_.clear(); }

 private:
  struct Buckets {
    std::optional<TokenBucket> requests;
    std::optional<TokenBucket> input;
    std::optional<TokenBucket> output;
  };
  Buckets& BucketsFor(std::string_view key, TimePoint now);

  std::int64_t rpm_;
  std::int64_t itpm_;
  std::int64_t otpm_;
  ByApiKey<Buckets> keys_;
};

// anthropic-ratelimit-{requests,input-tokens,output-tokens,tokens}-{limit,remaining,reset}:
// resets as RFC 3339 times of full replenishment (from `wall`), token counts remaining rounded
// to the nearest thousand as Anthropic rounds them; `tokens` is the more restrictive of the two
// token buckets.
void AddAnthropicLimitHeaders(http::Headers& headers, const AnthropicBuckets& buckets,
                              WallTime wall);

// The 429 rate_limit_error for a refused admission, with retry-after (whole seconds) when
// waiting can help, and the limit headers.
http::Response AnthropicRateLimitResponse(const AnthropicAdmission& admission,
                                          const AnthropicBuckets& buckets, std::string_view model,
                                          WallTime wall, std::string_view request_id);

// Anthropic's error answer: {"type":"error","error":{"type":…,"message":…},"request_id":…}.
http::Response AnthropicErrorResponse(const http::ApiError& error, std::string_view request_id);

}  // namespace sluice::mock
