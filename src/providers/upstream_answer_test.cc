#include "providers/upstream_answer.h"

#include <gtest/gtest.h>

namespace sluice::providers {
namespace {

using namespace std::chrono_literals;

http::Headers OpenAi429Headers() {
  http::Headers h;
  h.Add("x-ratelimit-limit-requests", "500");
  h.Add("x-ratelimit-remaining-requests", "488");
  h.Add("x-ratelimit-reset-requests", "1.44s");
  h.Add("x-ratelimit-limit-tokens", "200000");
  h.Add("x-ratelimit-remaining-tokens", "1200");
  h.Add("x-ratelimit-reset-tokens", "59.64s");
  h.Add("retry-after-ms", "540");
  h.Add("retry-after", "1");
  return h;
}

TEST(LimitHintsTest, ReadsEveryOpenAiHeader) {
  LimitHints hints = ParseOpenAiLimitHints(OpenAi429Headers());
  EXPECT_EQ(hints.limit_requests, 500);
  EXPECT_EQ(hints.remaining_requests, 488);
  EXPECT_EQ(hints.reset_requests, 1440ms);
  EXPECT_EQ(hints.limit_tokens, 200000);
  EXPECT_EQ(hints.remaining_tokens, 1200);
  EXPECT_EQ(hints.reset_tokens, 59640ms);
  EXPECT_EQ(hints.retry_after, 540ms);  // retry-after-ms wins over retry-after
}

TEST(LimitHintsTest, FallsBackToRetryAfterSecondsAndIgnoresGarbage) {
  http::Headers h;
  h.Add("retry-after", "2.5");
  h.Add("x-ratelimit-remaining-tokens", "lots");
  h.Add("x-ratelimit-reset-tokens", "soon");
  LimitHints hints = ParseOpenAiLimitHints(h);
  EXPECT_EQ(hints.retry_after, 2500ms);
  EXPECT_FALSE(hints.remaining_tokens.has_value());
  EXPECT_FALSE(hints.reset_tokens.has_value());
  EXPECT_FALSE(ParseOpenAiLimitHints(http::Headers()).retry_after.has_value());
}

TEST(ClassifyTest, TheRetryTable) {
  LimitHints none;
  EXPECT_EQ(ClassifyResponse(200, none, "").verdict, Verdict::kSuccess);
  for (int retryable : {408, 409, 429, 500, 502, 503, 504, 529}) {
    EXPECT_EQ(ClassifyResponse(retryable, none, "").verdict, Verdict::kRetry) << retryable;
  }
  for (int final_status : {400, 401, 403, 404, 422}) {
    EXPECT_EQ(ClassifyResponse(final_status, none, "").verdict, Verdict::kFail) << final_status;
  }
  EXPECT_EQ(ClassifyResponse(401, none, "").status.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(ClassifyResponse(429, none, "").status.code(), StatusCode::kResourceExhausted);
}

TEST(ClassifyTest, InsufficientQuotaIsFinal) {
  auto c = ClassifyResponse(
      429, {}, R"({"error":{"type":"insufficient_quota","code":"insufficient_quota"}})");
  EXPECT_EQ(c.verdict, Verdict::kFail);
  EXPECT_EQ(c.status.code(), StatusCode::kFailedPrecondition);
}

TEST(ClassifyTest, ShouldRetryHeaderWinsAndHintIsCarried) {
  LimitHints hints = ParseOpenAiLimitHints(OpenAi429Headers());
  auto c = ClassifyResponse(429, hints, "");
  EXPECT_EQ(c.verdict, Verdict::kRetry);
  EXPECT_EQ(c.retry_after, 540ms);
  hints.should_retry = false;
  EXPECT_EQ(ClassifyResponse(503, hints, "").verdict, Verdict::kFail);
  LimitHints force;
  force.should_retry = true;
  EXPECT_EQ(ClassifyResponse(400, force, "").verdict, Verdict::kRetry);
}

TEST(ClassifyTest, TransportFailures) {
  EXPECT_EQ(ClassifyTransportFailure(UnavailableError("reset")).verdict, Verdict::kRetry);
  EXPECT_EQ(ClassifyTransportFailure(DeadlineExceededError("first byte")).verdict, Verdict::kRetry);
  EXPECT_EQ(ClassifyTransportFailure(InvalidArgumentError("bad url")).verdict, Verdict::kFail);
  EXPECT_EQ(ClassifyTransportFailure(ResourceExhaustedError("too big")).verdict, Verdict::kFail);
}

}  // namespace
}  // namespace sluice::providers
