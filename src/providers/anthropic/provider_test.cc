#include "providers/provider.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "providers/anthropic/response.h"
#include "providers/limiter_feedback.h"

namespace sluice::providers {
namespace {

namespace json = boost::json;
using ratelimit::Budget;

// 2026-01-01T00:00:00Z.
constexpr WallTime kNow{std::chrono::seconds(1767225600)};

std::unique_ptr<Provider> Make(FakeClock& clock) {
  return MakeAnthropicProvider({"http://127.0.0.1:9/", "sk-ant-test", "claude-sonnet-4-5", "c#0"},
                               {.default_max_tokens = 1024, .clock = &clock});
}

Result<http::Response> Answer(int status, std::string body) {
  http::Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers.Set("request-id", "req_011");
  return response;
}

constexpr const char* kMessage =
    R"({"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5",)"
    R"("content":[{"type":"thinking","thinking":"hmm"},{"type":"text","text":"Checking."},)"
    R"({"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris"}}],)"
    R"("stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":10,)"
    R"("cache_creation_input_tokens":200,"cache_read_input_tokens":1000,"output_tokens":30}})";

TEST(AnthropicProviderTest, EncodesMessagesUrlHeadersAndBody) {
  FakeClock clock(kNow);
  auto encoded = Make(clock)->Encode(
      "/v1/chat/completions", R"({"model":"claude","messages":[{"role":"user","content":"hi"}]})");
  ASSERT_TRUE(std::holds_alternative<http::ClientRequest>(encoded));
  const auto& request = std::get<http::ClientRequest>(encoded);
  EXPECT_EQ(request.url, "http://127.0.0.1:9/v1/messages");
  EXPECT_EQ(request.headers.Get("x-api-key"), "sk-ant-test");
  EXPECT_EQ(request.headers.Get("anthropic-version"), "2023-06-01");
  EXPECT_EQ(request.headers.Get("content-type"), "application/json");
  EXPECT_FALSE(request.headers.Get("authorization"));
  json::object body = json::parse(request.body).as_object();
  EXPECT_EQ(body["model"], "claude-sonnet-4-5");
  EXPECT_EQ(body["max_tokens"], 1024);
}

TEST(AnthropicProviderTest, RefusesOtherEndpointsAndWhatCannotBeHonoured) {
  FakeClock clock(kNow);
  auto provider = Make(clock);
  auto embeddings = provider->Encode("/v1/embeddings", R"({"model":"m","input":"x"})");
  ASSERT_TRUE(std::holds_alternative<Refusal>(embeddings));
  auto n = provider->Encode("/v1/chat/completions", R"({"messages":[],"n":3})");
  ASSERT_TRUE(std::holds_alternative<Refusal>(n));
  Outcome refused = RefusedOutcome(std::get<Refusal>(n));
  EXPECT_EQ(refused.verdict, Verdict::kFail);
  EXPECT_EQ(refused.status_code, 400);
  json::object error = json::parse(refused.body).as_object()["error"].as_object();
  EXPECT_EQ(error["param"], "n");
  EXPECT_EQ(error["type"], "invalid_request_error");
}

TEST(AnthropicProviderTest, DecodesAMessageIntoAChatCompletion) {
  FakeClock clock(kNow);
  Outcome o = Make(clock)->Decode(Answer(200, kMessage));
  EXPECT_EQ(o.verdict, Verdict::kSuccess);
  EXPECT_EQ(o.request_id, "req_011");
  json::object c = json::parse(o.body).as_object();
  EXPECT_EQ(c["object"], "chat.completion");
  EXPECT_EQ(c["id"], "msg_01");
  EXPECT_EQ(c["created"], 1767225600);
  json::object choice = c["choices"].as_array()[0].as_object();
  EXPECT_EQ(choice["finish_reason"], "tool_calls");
  EXPECT_EQ(choice["message"].as_object()["content"], "Checking.");
  EXPECT_EQ(json::serialize(choice["message"].as_object()["tool_calls"]),
            R"([{"id":"toolu_1","type":"function","function":{"name":"weather",)"
            R"("arguments":"{\"city\":\"Paris\"}"}}])");
  EXPECT_EQ(json::serialize(c["usage"]),
            R"({"prompt_tokens":1210,"completion_tokens":30,"total_tokens":1240,)"
            R"("prompt_tokens_details":{"cached_tokens":1000,"cache_write_tokens":200},)"
            R"("completion_tokens_details":{"reasoning_tokens":0}})");
  EXPECT_EQ(o.usage.prompt_tokens, 1210);
  EXPECT_EQ(o.usage.cached_tokens, 1000);
  // Anthropic's input budget counts uncached input and cache writes, not cache reads.
  ratelimit::Feedback feedback = LimiterFeedback(o);
  EXPECT_EQ(feedback.input_tokens, 210);
  EXPECT_EQ(feedback.output_tokens, 30);
}

TEST(AnthropicProviderTest, MapsEveryStopReason) {
  EXPECT_EQ(FinishReason("end_turn"), "stop");
  EXPECT_EQ(FinishReason("stop_sequence"), "stop");
  EXPECT_EQ(FinishReason("pause_turn"), "stop");
  EXPECT_EQ(FinishReason("max_tokens"), "length");
  EXPECT_EQ(FinishReason("model_context_window_exceeded"), "length");
  EXPECT_EQ(FinishReason("tool_use"), "tool_calls");
  EXPECT_EQ(FinishReason("refusal"), "content_filter");
}

TEST(AnthropicProviderTest, ErrorsBecomeOpenAiErrorsAndClassifyByStatus) {
  FakeClock clock(kNow);
  auto provider = Make(clock);
  auto error = [](const char* type) {
    return std::string(R"({"type":"error","error":{"type":")") + type +
           R"(","message":"no"},"request_id":"req_1"})";
  };
  struct Case {
    int status;
    const char* type;
    Verdict verdict;
  };
  for (Case c :
       {Case{400, "invalid_request_error", Verdict::kFail},
        Case{401, "authentication_error", Verdict::kFail},
        Case{403, "permission_error", Verdict::kFail}, Case{404, "not_found_error", Verdict::kFail},
        Case{413, "request_too_large", Verdict::kFail},
        Case{429, "rate_limit_error", Verdict::kRetry}, Case{500, "api_error", Verdict::kRetry},
        Case{529, "overloaded_error", Verdict::kRetry}}) {
    Outcome o = provider->Decode(Answer(c.status, error(c.type)));
    EXPECT_EQ(o.verdict, c.verdict) << c.status;
    EXPECT_EQ(o.status_code, c.status);
    json::object e = json::parse(o.body).as_object()["error"].as_object();
    EXPECT_EQ(e["code"], c.type);
    EXPECT_EQ(e["message"], "no");
  }
  EXPECT_EQ(provider->Decode(Answer(529, error("overloaded_error"))).status.code(),
            StatusCode::kUnavailable);
  EXPECT_NE(
      provider->Decode(Answer(401, error("authentication_error"))).status.message().find("c#0"),
      std::string::npos);
}

TEST(AnthropicProviderTest, ABodyThatIsNoEnvelopeIsRelayedOnlyAsPlainText) {
  FakeClock clock(kNow);
  auto provider = Make(clock);
  Outcome page = provider->Decode(Answer(413, "<html>Request Entity Too Large</html>"));
  EXPECT_EQ(json::parse(page.body).at("error").at("message"),
            "<html>Request Entity Too Large</html>");
  Outcome binary = provider->Decode(Answer(502, "\xff\xfe\x01garbage"));
  EXPECT_EQ(json::parse(binary.body).at("error").at("message"), "upstream answered 502");
}

TEST(AnthropicProviderTest, ReadsLimitHintsRetryAfterAndShouldRetry) {
  FakeClock clock(kNow);
  auto provider = Make(clock);
  Result<http::Response> limited =
      Answer(429, R"({"type":"error","error":{"type":"rate_limit_error"}})");
  limited->headers.Set("retry-after", "7");
  limited->headers.Set("anthropic-ratelimit-input-tokens-limit", "40000");
  limited->headers.Set("anthropic-ratelimit-input-tokens-remaining", "0");
  limited->headers.Set("anthropic-ratelimit-input-tokens-reset", "2026-01-01T00:00:30Z");
  limited->headers.Set("anthropic-ratelimit-output-tokens-limit", "8000");
  limited->headers.Set("anthropic-ratelimit-output-tokens-remaining", "8000");
  Outcome o = provider->Decode(limited);
  EXPECT_EQ(o.verdict, Verdict::kRetry);
  EXPECT_EQ(o.retry_after, std::chrono::seconds(7));
  EXPECT_EQ(o.hints.exceeded, Budget::kInputTokens);
  EXPECT_EQ(o.hints.hint(Budget::kInputTokens).reset, std::chrono::seconds(30));
  Result<http::Response> final_overload = Answer(529, "{}");
  final_overload->headers.Set("x-should-retry", "false");
  EXPECT_EQ(provider->Decode(final_overload).verdict, Verdict::kFail);
}

TEST(AnthropicProviderTest, ADamagedSuccessIsRetriedAndAFailureToConnectToo) {
  FakeClock clock(kNow);
  auto provider = Make(clock);
  EXPECT_EQ(provider->Decode(Answer(200, R"({"id":"msg)")).verdict, Verdict::kRetry);
  EXPECT_EQ(provider->Decode(Result<http::Response>(UnavailableError("reset"))).verdict,
            Verdict::kRetry);
}

}  // namespace
}  // namespace sluice::providers
