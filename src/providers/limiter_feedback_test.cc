#include "providers/limiter_feedback.h"

#include <gtest/gtest.h>

namespace sluice::providers {
namespace {

using namespace std::chrono_literals;
using ratelimit::Budget;

TEST(LimiterFeedbackTest, CarriesStatusHintsWaitAndUsage) {
  Outcome outcome;
  outcome.verdict = Verdict::kSuccess;
  outcome.status_code = 200;
  outcome.usage.prompt_tokens = 1200;
  outcome.usage.cached_tokens = 1000;
  outcome.usage.completion_tokens = 40;
  outcome.hints.hint(Budget::kTokens) = {200000, 150000, 15s};
  ratelimit::Feedback feedback = LimiterFeedback(outcome);
  EXPECT_EQ(feedback.status_code, 200);
  EXPECT_FALSE(feedback.timed_out);
  EXPECT_EQ(feedback.hint(Budget::kTokens).remaining, 150000);
  EXPECT_TRUE(feedback.has_usage);
  EXPECT_EQ(feedback.input_tokens, 200);  // cache reads do not count against input budgets
  EXPECT_EQ(feedback.output_tokens, 40);
}

TEST(LimiterFeedbackTest, ARateLimitKeepsItsBudgetAndWait) {
  Outcome outcome;
  outcome.verdict = Verdict::kRetry;
  outcome.status_code = 429;
  outcome.retry_after = 640ms;
  outcome.hints.exceeded = Budget::kRequests;
  ratelimit::Feedback feedback = LimiterFeedback(outcome);
  EXPECT_EQ(feedback.exceeded, Budget::kRequests);
  EXPECT_EQ(feedback.retry_after, 640ms);
  EXPECT_FALSE(feedback.has_usage);
}

TEST(LimiterFeedbackTest, OnlyADeadlineIsATimeout) {
  Outcome timed_out;
  timed_out.status = DeadlineExceededError("no answer in 120s");
  EXPECT_TRUE(LimiterFeedback(timed_out).timed_out);
  Outcome reset;
  reset.status = UnavailableError("connection reset");
  EXPECT_FALSE(LimiterFeedback(reset).timed_out);
  EXPECT_EQ(LimiterFeedback(reset).status_code, 0);
}

}  // namespace
}  // namespace sluice::providers
