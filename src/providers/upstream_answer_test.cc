#include "providers/upstream_answer.h"

#include <gtest/gtest.h>

namespace sluice::providers {
namespace {

using namespace std::chrono_literals;
using ratelimit::Budget;

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
  EXPECT_EQ(hints.hint(Budget::kRequests).limit, 500);
  EXPECT_EQ(hints.hint(Budget::kRequests).remaining, 488);
  EXPECT_EQ(hints.hint(Budget::kRequests).reset, 1440ms);
  EXPECT_EQ(hints.hint(Budget::kTokens).limit, 200000);
  EXPECT_EQ(hints.hint(Budget::kTokens).remaining, 1200);
  EXPECT_EQ(hints.hint(Budget::kTokens).reset, 59640ms);
  EXPECT_FALSE(hints.hint(Budget::kInputTokens).limit.has_value());
  EXPECT_EQ(hints.retry_after, 540ms);  // retry-after-ms wins over retry-after
}

TEST(LimitHintsTest, FallsBackToRetryAfterSecondsAndIgnoresGarbage) {
  http::Headers h;
  h.Add("retry-after", "2.5");
  h.Add("x-ratelimit-remaining-tokens", "lots");
  h.Add("x-ratelimit-reset-tokens", "soon");
  LimitHints hints = ParseOpenAiLimitHints(h);
  EXPECT_EQ(hints.retry_after, 2500ms);
  EXPECT_FALSE(hints.hint(Budget::kTokens).remaining.has_value());
  EXPECT_FALSE(hints.hint(Budget::kTokens).reset.has_value());
  EXPECT_FALSE(ParseOpenAiLimitHints(http::Headers()).retry_after.has_value());
}

TEST(LimitHintsTest, AWaitLongerThanADayIsReadAsADay) {
  for (auto [name, value] : {std::pair{"retry-after", "1e14"}, std::pair{"retry-after-ms", "1e300"},
                             std::pair{"retry-after", "86401"}}) {
    http::Headers h;
    h.Add(name, value);
    EXPECT_EQ(ParseOpenAiLimitHints(h).retry_after, std::chrono::hours(24)) << name << value;
  }
}

http::Response OpenAi429(std::string body) {
  http::Response response;
  response.status = 429;
  response.body = std::move(body);
  return response;
}

TEST(LimitHintsTest, AnOpenAi429BodyNamesTheBudgetItsLimitAndTheWait) {
  http::Response limited = OpenAi429(
      R"({"error":{"message":"Rate limit reached for gpt-4o-mini in organization org-demo on )"
      R"(tokens per min (TPM): Limit 200,000, Used 199,000, Requested 1500. Please try again )"
      R"(in 1.5s. Visit https://platform.openai.com/account/rate-limits to learn more.",)"
      R"("type":"tokens","param":null,"code":"rate_limit_exceeded"}})");
  LimitHints hints = ParseOpenAiLimitHints(limited);
  EXPECT_EQ(hints.exceeded, Budget::kTokens);
  EXPECT_EQ(hints.hint(Budget::kTokens).limit, 200000);
  EXPECT_EQ(hints.retry_after, 1500ms);
}

TEST(LimitHintsTest, ALimitTooLongForInt64InA429BodyIsLeftUnset) {
  http::Response limited = OpenAi429(
      R"({"error":{"message":"Rate limit reached on tokens per min (TPM): Limit )"
      R"(99999999999999999999999, Used 1.","type":"tokens"}})");
  LimitHints hints = ParseOpenAiLimitHints(limited);
  EXPECT_EQ(hints.exceeded, Budget::kTokens);
  EXPECT_FALSE(hints.hint(Budget::kTokens).limit.has_value());
  limited.body = R"({"error":{"message":"Limit 999,999,999,999,999,999.","type":"tokens"}})";
  EXPECT_EQ(ParseOpenAiLimitHints(limited).hint(Budget::kTokens).limit, 999999999999999999);
}

TEST(LimitHintsTest, HeadersWinOverTheBodyAndOnlyA429BodyIsRead) {
  http::Response limited = OpenAi429(
      R"({"error":{"message":"Rate limit reached for m on requests per min (RPM): Limit 500, )"
      R"(Used 500, Requested 1. Please try again in 120ms.","type":"requests"}})");
  limited.headers = OpenAi429Headers();
  LimitHints hints = ParseOpenAiLimitHints(limited);
  EXPECT_EQ(hints.exceeded, Budget::kRequests);
  EXPECT_EQ(hints.retry_after, 540ms);
  limited.status = 500;
  EXPECT_FALSE(ParseOpenAiLimitHints(limited).exceeded.has_value());
  EXPECT_FALSE(ParseOpenAiLimitHints(OpenAi429("not json")).exceeded.has_value());
  EXPECT_FALSE(ParseOpenAiLimitHints(OpenAi429(R"({"error":{"type":"insufficient_quota"}})"))
                   .exceeded.has_value());
}

http::Response AnthropicAnswer(int status) {
  http::Response response;
  response.status = status;
  response.headers.Add("anthropic-ratelimit-requests-limit", "50");
  response.headers.Add("anthropic-ratelimit-requests-remaining", "49");
  response.headers.Add("anthropic-ratelimit-requests-reset", "2026-01-01T00:00:01Z");
  response.headers.Add("anthropic-ratelimit-input-tokens-limit", "30000");
  response.headers.Add("anthropic-ratelimit-input-tokens-remaining", "2000");
  response.headers.Add("anthropic-ratelimit-input-tokens-reset", "2026-01-01T00:00:56.500Z");
  response.headers.Add("anthropic-ratelimit-output-tokens-limit", "8000");
  response.headers.Add("anthropic-ratelimit-output-tokens-remaining", "8000");
  response.headers.Add("anthropic-ratelimit-output-tokens-reset", "2026-01-01T01:00:00+01:00");
  response.headers.Add("retry-after", "4");
  return response;
}

TEST(LimitHintsTest, ReadsAnthropicBudgetsWithRfc3339Resets) {
  WallTime now = std::chrono::sys_days(std::chrono::year(2026) / 1 / 1);
  LimitHints hints = ParseAnthropicLimitHints(AnthropicAnswer(200), now);
  EXPECT_EQ(hints.hint(Budget::kRequests).limit, 50);
  EXPECT_EQ(hints.hint(Budget::kRequests).remaining, 49);
  EXPECT_EQ(hints.hint(Budget::kRequests).reset, 1s);
  EXPECT_EQ(hints.hint(Budget::kInputTokens).limit, 30000);
  EXPECT_EQ(hints.hint(Budget::kInputTokens).remaining, 2000);
  EXPECT_EQ(hints.hint(Budget::kInputTokens).reset, 56500ms);
  EXPECT_EQ(hints.hint(Budget::kOutputTokens).limit, 8000);
  EXPECT_EQ(hints.hint(Budget::kOutputTokens).reset, 0s);  // full already (+01:00 is 00:00Z)
  EXPECT_FALSE(hints.hint(Budget::kTokens).limit.has_value());
  EXPECT_EQ(hints.retry_after, 4s);
  EXPECT_FALSE(hints.exceeded.has_value());
  EXPECT_EQ(ParseAnthropicLimitHints(AnthropicAnswer(429), now).exceeded, Budget::kInputTokens);
}

TEST(LimitHintsTest, AnthropicResetsThatAreNotRfc3339AreLeftUnset) {
  WallTime now = std::chrono::sys_days(std::chrono::year(2026) / 1 / 1);
  for (const char* bad : {"soon", "2026-01-01 00:00:01Z", "2026-13-01T00:00:01Z",
                          "2026-01-01T00:00:01", "2026-01-01T00:00:01+0100", "1767225601",
                          // Outside WallTime (1677 to 2262): used to overflow.
                          "9999-12-31T23:59:59Z", "2263-01-01T00:00:00Z", "0284-01-01T00:00:00Z",
                          "0000-01-01T00:00:00Z"}) {
    http::Response response;
    response.headers.Add("anthropic-ratelimit-requests-reset", bad);
    EXPECT_FALSE(ParseAnthropicLimitHints(response, now).hint(Budget::kRequests).reset) << bad;
  }
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
