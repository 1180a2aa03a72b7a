#include "mock/rate_limiter.h"

#include <gtest/gtest.h>

#include "mock/rate_limit_reply.h"

namespace sluice::mock {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const TimePoint kStart = TimePoint(std::chrono::hours(100));

TEST(RateLimiterTest, UnlimitedAdmitsEverythingAndReportsNoBuckets) {
  RateLimiter limiter(0, 0);
  for (int i = 0; i < 1000; ++i) {
    Admission a = limiter.Admit("k", 1'000'000, kStart);
    ASSERT_TRUE(a.admitted);
    EXPECT_FALSE(a.requests.has_value());
    EXPECT_FALSE(a.tokens.has_value());
  }
}

TEST(RateLimiterTest, ChargesOneRequestAndTheTokensOnAdmission) {
  RateLimiter limiter(60, 1000);
  Admission a = limiter.Admit("k", 250, kStart);
  ASSERT_TRUE(a.admitted);
  EXPECT_EQ(a.requests->limit, 60);
  EXPECT_EQ(a.requests->remaining, 59);
  EXPECT_EQ(a.requests->reset, seconds(1));
  EXPECT_EQ(a.tokens->limit, 1000);
  EXPECT_EQ(a.tokens->remaining, 750);
  EXPECT_EQ(a.tokens->reset, seconds(15));
}

TEST(RateLimiterTest, RefusesOverRequestLimitWithoutCharging) {
  RateLimiter limiter(2, 0);
  ASSERT_TRUE(limiter.Admit("k", 10, kStart).admitted);
  ASSERT_TRUE(limiter.Admit("k", 10, kStart).admitted);
  Admission a = limiter.Admit("k", 10, kStart);
  EXPECT_FALSE(a.admitted);
  EXPECT_EQ(a.exceeded, LimitKind::kRequests);
  EXPECT_EQ(a.retry_after, seconds(30));  // 2 per minute: one every 30 s
  EXPECT_EQ(a.used, 2);
  EXPECT_EQ(a.requested, 1);
  EXPECT_EQ(a.requests->remaining, 0);
  // After 30 s exactly one more fits.
  EXPECT_TRUE(limiter.Admit("k", 10, kStart + seconds(30)).admitted);
  EXPECT_FALSE(limiter.Admit("k", 10, kStart + seconds(30)).admitted);
}

TEST(RateLimiterTest, RefusesOverTokenLimitAndSaysWhenItFits) {
  RateLimiter limiter(0, 6000);  // 100 tokens per second
  ASSERT_TRUE(limiter.Admit("k", 5900, kStart).admitted);
  Admission a = limiter.Admit("k", 164, kStart);
  EXPECT_FALSE(a.admitted);
  EXPECT_EQ(a.exceeded, LimitKind::kTokens);
  EXPECT_EQ(a.retry_after, milliseconds(640));
  EXPECT_EQ(a.used, 5900);
  EXPECT_EQ(a.requested, 164);
  EXPECT_EQ(a.tokens->remaining, 100);  // the refusal charged nothing
  EXPECT_TRUE(limiter.Admit("k", 164, kStart + milliseconds(640)).admitted);
}

TEST(RateLimiterTest, RetryAfterIsTheLongerOfBothWaits) {
  RateLimiter limiter(1, 600);  // 1 request per 60 s; 10 tokens per second
  ASSERT_TRUE(limiter.Admit("k", 600, kStart).admitted);
  Admission a = limiter.Admit("k", 300, kStart + seconds(1));  // tokens alone: 29 s
  EXPECT_EQ(a.exceeded, LimitKind::kRequests);
  EXPECT_EQ(a.retry_after, seconds(59));
}

TEST(RateLimiterTest, RequestLargerThanTheLimitNeverFits) {
  RateLimiter limiter(100, 1000);
  Admission a = limiter.Admit("k", 1001, kStart);
  EXPECT_FALSE(a.admitted);
  EXPECT_TRUE(a.never_fits);
  EXPECT_EQ(a.exceeded, LimitKind::kTokens);
  EXPECT_EQ(a.requests->remaining, 100);
}

TEST(RateLimiterTest, KeysHaveSeparateBuckets) {
  RateLimiter limiter(1, 0);
  EXPECT_TRUE(limiter.Admit("a", 1, kStart).admitted);
  EXPECT_TRUE(limiter.Admit("b", 1, kStart).admitted);
  EXPECT_TRUE(limiter.Admit("", 1, kStart).admitted);  // the anonymous bucket
  EXPECT_FALSE(limiter.Admit("a", 1, kStart).admitted);
  EXPECT_FALSE(limiter.Admit("", 1, kStart).admitted);
}

TEST(RateLimitReplyTest, AdmittedAnswersCarryAllSixHeaders) {
  RateLimiter limiter(500, 200000);
  http::Headers h;
  AddRateLimitHeaders(h, limiter.Admit("k", 1200, kStart));
  EXPECT_EQ(h.Get("x-ratelimit-limit-requests"), "500");
  EXPECT_EQ(h.Get("x-ratelimit-remaining-requests"), "499");
  EXPECT_EQ(h.Get("x-ratelimit-reset-requests"), "120ms");
  EXPECT_EQ(h.Get("x-ratelimit-limit-tokens"), "200000");
  EXPECT_EQ(h.Get("x-ratelimit-remaining-tokens"), "198800");
  EXPECT_EQ(h.Get("x-ratelimit-reset-tokens"), "360ms");
}

TEST(RateLimitReplyTest, TooManyRequestsHasOpenAiBodyAndRetryHints) {
  RateLimiter limiter(0, 6000);
  ASSERT_TRUE(limiter.Admit("k", 5900, kStart).admitted);
  http::Response r = RateLimitResponse(limiter.Admit("k", 164, kStart), "gpt-4o-mini");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers.Get("retry-after-ms"), "640");
  EXPECT_EQ(r.headers.Get("retry-after"), "1");
  EXPECT_EQ(r.headers.Get("x-ratelimit-remaining-tokens"), "100");
  EXPECT_FALSE(r.headers.Get("x-ratelimit-limit-requests").has_value());  // RPM unlimited
  EXPECT_NE(r.body.find("\"type\":\"tokens\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\"code\":\"rate_limit_exceeded\""), std::string::npos);
  EXPECT_NE(r.body.find("Rate limit reached for gpt-4o-mini in organization org-mock on tokens "
                        "per min (TPM): Limit 6000, Used 5900, Requested 164. Please try again "
                        "in 640ms."),
            std::string::npos)
      << r.body;
}

TEST(RateLimitReplyTest, TooLargeRequestHasNoRetryHints) {
  RateLimiter limiter(0, 1000);
  http::Response r = RateLimitResponse(limiter.Admit("k", 5000, kStart), "gpt-4o");
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(r.headers.Get("retry-after").has_value());
  EXPECT_NE(r.body.find("Request too large for gpt-4o"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace sluice::mock
