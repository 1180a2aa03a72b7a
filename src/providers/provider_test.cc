#include "providers/provider.h"

#include <gtest/gtest.h>

namespace sluice::providers {
namespace {

TEST(DescribeOutcomeTest, ASuccessNamesTheStatusAndTheUpstreamsRequestId) {
  Outcome outcome = AnsweredOutcome({200, {}, "{}"}, {}, "gpt#0", "x-request-id");
  outcome.request_id = "req_up";
  EXPECT_EQ(DescribeOutcome(outcome), "HTTP 200 (upstream request req_up)");
}

TEST(DescribeOutcomeTest, AFailureSaysWhetherItIsRetriedAndWhy) {
  http::Response error{500, {}, R"({"error":{"message":"boom"}})"};
  error.headers.Set("x-request-id", "req_up");
  std::string described = DescribeOutcome(AnsweredOutcome(error, {}, "gpt#0", "x-request-id"));
  EXPECT_TRUE(described.starts_with("HTTP 500 (upstream request req_up), retryable: "))
      << described;
  EXPECT_TRUE(DescribeOutcome(RefusedOutcome({"no n > 1", "n"}))
                  .starts_with("HTTP 400, final: INVALID_ARGUMENT: no n > 1"));
  EXPECT_TRUE(DescribeOutcome(UnansweredOutcome(DeadlineExceededError("too slow")))
                  .starts_with("no answer, retryable: "));
}

}  // namespace
}  // namespace sluice::providers
