#include <gtest/gtest.h>

#include "providers/provider.h"

namespace sluice::providers {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<Provider> Make() {
  return MakeOpenAiProvider({"http://127.0.0.1:9/v1/", "sk-test", "gpt-4o-mini-2024-07-18"});
}

http::Response Answer(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.Set("x-request-id", "req_42");
  return r;
}

TEST(OpenAiProviderTest, EncodesUrlAuthAndDeploymentModel) {
  auto encoded = Make()->Encode("/v1/chat/completions", R"({"model":"gpt-4o-mini","messages":[]})");
  ASSERT_TRUE(std::holds_alternative<http::ClientRequest>(encoded));
  auto request = std::get<http::ClientRequest>(encoded);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "http://127.0.0.1:9/v1/chat/completions");
  EXPECT_EQ(request.headers.Get("authorization"), "Bearer sk-test");
  EXPECT_NE(request.body.find(R"("model":"gpt-4o-mini-2024-07-18")"), std::string::npos);
  EXPECT_NE(request.body.find(R"("messages":[])"), std::string::npos);
}

TEST(OpenAiProviderTest, DecodesSuccessWithUsage) {
  Outcome o = Make()->Decode(Answer(
      200, R"({"id":"c","usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15,)"
           R"("prompt_tokens_details":{"cached_tokens":4},)"
           R"("completion_tokens_details":{"reasoning_tokens":1}}})"));
  EXPECT_EQ(o.verdict, Verdict::kSuccess);
  EXPECT_EQ(o.request_id, "req_42");
  EXPECT_EQ(o.usage.prompt_tokens, 12);
  EXPECT_EQ(o.usage.completion_tokens, 3);
  EXPECT_EQ(o.usage.total_tokens, 15);
  EXPECT_EQ(o.usage.cached_tokens, 4);
  EXPECT_EQ(o.usage.reasoning_tokens, 1);
}

TEST(OpenAiProviderTest, MalformedSuccessBodyIsRetried) {
  Outcome o = Make()->Decode(Answer(200, R"({"id":"c","choi)"));
  EXPECT_EQ(o.verdict, Verdict::kRetry);
  EXPECT_EQ(o.status.code(), StatusCode::kUnavailable);
}

TEST(OpenAiProviderTest, RateLimitedCarriesHintAndFinalErrorsKeepBody) {
  http::Response limited = Answer(429, R"({"error":{"code":"rate_limit_exceeded"}})");
  limited.headers.Set("retry-after-ms", "250");
  Outcome o = Make()->Decode(limited);
  EXPECT_EQ(o.verdict, Verdict::kRetry);
  EXPECT_EQ(o.retry_after, 250ms);
  Outcome bad = Make()->Decode(Answer(400, R"({"error":{"message":"no"}})"));
  EXPECT_EQ(bad.verdict, Verdict::kFail);
  EXPECT_EQ(bad.status_code, 400);
  EXPECT_EQ(bad.body, R"({"error":{"message":"no"}})");
}

TEST(OpenAiProviderTest, TransportFailureHasNoResponse) {
  Outcome o = Make()->Decode(Result<http::Response>(UnavailableError("connection reset")));
  EXPECT_EQ(o.verdict, Verdict::kRetry);
  EXPECT_EQ(o.status_code, 0);
}

TEST(OpenAiProviderTest, RejectedCredentialsNameTheDeployment) {
  auto provider = MakeOpenAiProvider({"http://127.0.0.1:9/v1", "sk-bad", "m", "gpt-4o-mini#1"});
  for (int status : {401, 403}) {
    Outcome o = provider->Decode(Answer(status, R"({"error":{"code":"invalid_api_key"}})"));
    EXPECT_EQ(o.verdict, Verdict::kFail);
    EXPECT_EQ(o.status_code, status);
    EXPECT_EQ(
        o.status.message(),
        "upstream provider rejected sluice's credentials for deployment gpt-4o-mini#1 (HTTP " +
            std::to_string(status) + ")");
  }
}

}  // namespace
}  // namespace sluice::providers
