#include "providers/fallback_class_of.h"

#include <gtest/gtest.h>

namespace sluice::providers {
namespace {

// 2026-01-01T00:00:00Z.
constexpr WallTime kNow{std::chrono::seconds(1767225600)};

Outcome Answered(int status, std::string body) {
  Outcome outcome;
  outcome.status_code = status;
  outcome.body = std::move(body);
  return outcome;
}

// OpenAI's answer to a prompt larger than the model's window, as the API sends it.
constexpr const char* kOpenAiContextError =
    R"({"error":{"message":"This model's maximum context length is 128000 tokens. However, your )"
    R"(messages resulted in 130012 tokens. Please reduce the length of the messages.",)"
    R"("type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}})";

TEST(FallbackClassOfTest, NoAnswerAndServerErrorsAreUnavailable) {
  EXPECT_EQ(FallbackClassOf(UnansweredOutcome(UnavailableError("connection refused"))),
            FallbackClass::kUnavailable);
  EXPECT_EQ(FallbackClassOf(UnansweredOutcome(DeadlineExceededError("timed out"))),
            FallbackClass::kUnavailable);
  for (int status : {500, 502, 503, 529, 408, 401, 403}) {
    EXPECT_EQ(FallbackClassOf(Answered(status, "{}")), FallbackClass::kUnavailable) << status;
  }
}

TEST(FallbackClassOfTest, TooManyRequestsIsRateLimited) {
  EXPECT_EQ(FallbackClassOf(Answered(429, R"({"error":{"code":"rate_limit_exceeded"}})")),
            FallbackClass::kRateLimited);
  EXPECT_EQ(FallbackClassOf(Answered(429, R"({"error":{"code":"insufficient_quota"}})")),
            FallbackClass::kRateLimited);
}

TEST(FallbackClassOfTest, OpenAisContextLengthErrorIsContextWindow) {
  EXPECT_EQ(FallbackClassOf(Answered(400, kOpenAiContextError)), FallbackClass::kContextWindow);
}

TEST(FallbackClassOfTest, AnthropicsPromptTooLongIsContextWindowAfterTranslation) {
  FakeClock clock(kNow);
  auto provider = MakeAnthropicProvider({"http://127.0.0.1:9/", "sk-ant", "claude-x", "c#0"},
                                        {.default_max_tokens = 1024, .clock = &clock});
  for (const char* message :
       {"prompt is too long: 208310 tokens > 200000 maximum",
        "input length and `max_tokens` exceed context limit: 197602 + 8192 > 200000, decrease "
        "input length or `max_tokens` and try again"}) {
    http::Response response;
    response.status = 400;
    response.body = std::string(R"({"type":"error","error":{"type":"invalid_request_error",)") +
                    R"("message":")" + message + R"("}})";
    Outcome outcome = provider->Decode(response);
    EXPECT_EQ(FallbackClassOf(outcome), FallbackClass::kContextWindow) << outcome.body;
  }
}

TEST(FallbackClassOfTest, ContentFiltersAreContentPolicy) {
  EXPECT_EQ(FallbackClassOf(Answered(
                400, R"({"error":{"message":"Your request was rejected as a result of our )"
                     R"(safety system.","type":"invalid_request_error","code":)"
                     R"("content_policy_violation"}})")),
            FallbackClass::kContentPolicy);
  EXPECT_EQ(FallbackClassOf(Answered(
                400, R"({"error":{"message":"The response was filtered due to the prompt )"
                     R"(triggering Azure OpenAI's content management policy.","type":null,)"
                     R"("param":"prompt","code":"content_filter","status":400}})")),
            FallbackClass::kContentPolicy);
  EXPECT_EQ(FallbackClassOf(Answered(
                200, R"({"choices":[{"index":0,"finish_reason":"content_filter"}]})")),
            FallbackClass::kContentPolicy);
}

TEST(FallbackClassOfTest, SuccessesAndTheClientsMistakesHaveNoClass) {
  EXPECT_EQ(FallbackClassOf(Answered(200, R"({"choices":[{"finish_reason":"stop"},)"
                                          R"({"finish_reason":"content_filter"}]})")),
            std::nullopt);
  EXPECT_EQ(FallbackClassOf(Answered(400, R"({"error":{"message":"max_tokens is too large",)"
                                          R"("code":"invalid_value"}})")),
            std::nullopt);
  EXPECT_EQ(FallbackClassOf(RefusedOutcome({"anthropic deployments do not support n > 1", "n"})),
            std::nullopt);
  EXPECT_EQ(FallbackClassOf(Answered(404, "not json")), std::nullopt);
}

}  // namespace
}  // namespace sluice::providers
