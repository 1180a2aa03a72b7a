#include "providers/answer_class.h"

#include <gtest/gtest.h>

namespace sluice::providers {
namespace {

Outcome Answered(int status, Verdict verdict = Verdict::kRetry) {
  Outcome outcome;
  outcome.status_code = status;
  outcome.verdict = verdict;
  return outcome;
}

Outcome Unanswered(Status failure) {
  Outcome outcome;
  outcome.status = std::move(failure);
  outcome.verdict = Verdict::kRetry;
  return outcome;
}

TEST(AnswerClassTest, ClassifiesAnswers) {
  EXPECT_EQ(ClassOf(Answered(200, Verdict::kSuccess)), AnswerClass::kOk);
  EXPECT_EQ(ClassOf(Answered(429)), AnswerClass::kRateLimited);
  EXPECT_EQ(ClassOf(Answered(503)), AnswerClass::kOverloaded);
  EXPECT_EQ(ClassOf(Answered(529)), AnswerClass::kOverloaded);
  EXPECT_EQ(ClassOf(Answered(500)), AnswerClass::kServerError);
  EXPECT_EQ(ClassOf(Answered(200)), AnswerClass::kInvalidResponse) << "a 2xx that was not read";
  EXPECT_EQ(ClassOf(Answered(400, Verdict::kFail)), AnswerClass::kClientError);
  EXPECT_EQ(ClassOf(Unanswered(DeadlineExceededError("slow"))), AnswerClass::kTimeout);
  EXPECT_EQ(ClassOf(Unanswered(UnavailableError("refused"))), AnswerClass::kConnection);
  EXPECT_EQ(ClassOf(Unanswered(CancelledError("gone"))), AnswerClass::kCancelled);
}

TEST(AnswerClassTest, OnlyFailuresOfTheDeploymentCountAgainstIt) {
  EXPECT_TRUE(IsDeploymentFailure(AnswerClass::kOverloaded));
  EXPECT_TRUE(IsDeploymentFailure(AnswerClass::kServerError));
  EXPECT_TRUE(IsDeploymentFailure(AnswerClass::kTimeout));
  EXPECT_TRUE(IsDeploymentFailure(AnswerClass::kConnection));
  EXPECT_FALSE(IsDeploymentFailure(AnswerClass::kOk));
  EXPECT_FALSE(IsDeploymentFailure(AnswerClass::kRateLimited));
  EXPECT_FALSE(IsDeploymentFailure(AnswerClass::kClientError));
  EXPECT_FALSE(IsDeploymentFailure(AnswerClass::kInvalidResponse));
  EXPECT_FALSE(IsDeploymentFailure(AnswerClass::kCancelled));
  EXPECT_EQ(AnswerClassName(AnswerClass::kRateLimited), "rate_limited");
}

}  // namespace
}  // namespace sluice::providers
