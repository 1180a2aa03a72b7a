// The HTTP face of the mock's rate limiter: the six x-ratelimit-* headers OpenAI sends on every
// answer, and the 429 (body, retry-after-ms, retry-after) when a limit refuses a request.
// Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "http/message.h"
#include "mock/rate_limiter.h"

namespace sluice::mock {

// x-ratelimit-{limit,remaining,reset}-{requests,tokens} for each limited bucket in `admission`
// (an unlimited dimension sends none of its three headers). Resets are Go durations ("1.44s").
void AddRateLimitHeaders(http::Headers& headers, const Admission& admission);

// The 429 for a refused `admission`: OpenAI's body (type "requests" or "tokens", code
// "rate_limit_exceeded", "Rate limit reached for <model> … Please try again in 644ms."), the
// rate-limit headers, retry-after-ms and integer retry-after (ceil seconds). A request larger
// than the limit itself gets "Request too large for <model> …" and no retry hints, since waiting
// cannot help.
http::Response RateLimitResponse(const Admission& admission, std::string_view model);

}  // namespace sluice::mock
