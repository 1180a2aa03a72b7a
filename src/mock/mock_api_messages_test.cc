// The mock's Anthropic route, through MockApi::Handle: auth and version headers, validation,
// answers and usage with prompt caching, SSE events, RPM/ITPM/OTPM limits and faults.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "mock/body_hash.h"
#include "mock/content_generator.h"
#include "mock/mock_api.h"

namespace sluice::mock {
namespace {

namespace json = boost::json;

const TimePoint kNow = TimePoint(std::chrono::hours(100));
const WallTime kWall = WallTime(std::chrono::seconds(1767225600));  // 2026-01-01T00:00:00Z
constexpr std::string_view kHello =
    R"({"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"Capital of France?"}]})";

http::Request Messages(std::string body, std::string key = "ak-test") {
  http::Request r;
  r.method = "POST";
  r.target = "/v1/messages";
  r.body = std::move(body);
  if (!key.empty()) r.headers.Add("x-api-key", key);
  r.headers.Add("anthropic-version", "2023-06-01");
  return r;
}

json::object Body(const Reply& reply) { return json::parse(reply.response.body).as_object(); }

// A body whose system prompt (`chars` characters) is marked for caching.
std::string CachedSystem(std::size_t chars, std::string_view question) {
  json::object body{{"model", "claude-sonnet-4-5"}, {"max_tokens", 16}};
  body["system"] = json::array{json::object{{"type", "text"},
                                            {"text", std::string(chars, 'x')},
                                            {"cache_control", {{"type", "ephemeral"}}}}};
  body["messages"] = json::array{json::object{{"role", "user"}, {"content", question}}};
  return json::serialize(body);
}

TEST(MockMessagesTest, APromptPastTheContextWindowIsTooLong) {
  MockOptions options;
  options.context_window = 100;
  MockApi api(options);
  Reply reply = api.Handle(Messages(CachedSystem(800, "hi")), kNow, kWall);
  ASSERT_EQ(reply.response.status, 400) << reply.response.body;
  json::object error = Body(reply).at("error").as_object();
  EXPECT_EQ(error.at("type"), "invalid_request_error");
  EXPECT_EQ(error.at("message"), "prompt is too long: 201 tokens > 100 maximum");
}

TEST(MockMessagesTest, AnswerHasAnthropicShapeAndIsCompact) {
  MockApi api({});
  Reply reply = api.Handle(Messages(std::string(kHello)), kNow, kWall);
  ASSERT_EQ(reply.response.status, 200) << reply.response.body;
  EXPECT_EQ(reply.response.body.find('\n'), std::string::npos) << "Anthropic sends one line";
  EXPECT_TRUE(reply.response.headers.Get("request-id")->starts_with("req_"));
  EXPECT_FALSE(reply.response.headers.Get("x-request-id"));
  json::object b = Body(reply);
  EXPECT_TRUE(b.at("id").as_string().starts_with("msg_"));
  EXPECT_EQ(b.at("type"), "message");
  EXPECT_EQ(b.at("role"), "assistant");
  EXPECT_EQ(b.at("model"), "claude-sonnet-4-5");
  const json::object& block = b.at("content").as_array().at(0).as_object();
  EXPECT_EQ(block.at("type"), "text");
  std::string text(block.at("text").as_string());
  EXPECT_EQ(text.rfind(Marker(BodyHash(kHello)) + " Capital of France?", 0), 0u) << text;
  EXPECT_EQ(b.at("stop_reason"), "end_turn");
  EXPECT_TRUE(b.at("stop_sequence").is_null());
  const json::object& usage = b.at("usage").as_object();
  EXPECT_EQ(usage.at("input_tokens"), 5);  // ceil(18 / 4)
  EXPECT_EQ(usage.at("cache_creation_input_tokens"), 0);
  EXPECT_EQ(usage.at("cache_read_input_tokens"), 0);
  EXPECT_EQ(usage.at("output_tokens"), std::count(text.begin(), text.end(), ' ') + 1);
}

TEST(MockMessagesTest, MaxTokensCutsTheAnswer) {
  MockApi api({});
  std::string body =
      R"({"model":"m","max_tokens":1,"messages":[{"role":"user","content":"say a lot"}]})";
  json::object b = Body(api.Handle(Messages(body), kNow, kWall));
  EXPECT_EQ(b.at("stop_reason"), "max_tokens");
  EXPECT_EQ(b.at("usage").at("output_tokens"), 1);
}

TEST(MockMessagesTest, ForcedToolAnswersWithToolUse) {
  MockApi api({});
  std::string body = R"({"model":"m","max_tokens":50,"tools":[{"name":"get_weather",)"
                     R"("input_schema":{"type":"object"}}],"tool_choice":{"type":"any"},)"
                     R"("messages":[{"role":"user","content":"weather in Paris?"}]})";
  json::object b = Body(api.Handle(Messages(body), kNow, kWall));
  EXPECT_EQ(b.at("stop_reason"), "tool_use");
  const json::object& block = b.at("content").as_array().at(0).as_object();
  EXPECT_EQ(block.at("type"), "tool_use");
  EXPECT_EQ(block.at("name"), "get_weather");
  EXPECT_TRUE(block.at("id").as_string().starts_with("toolu_"));
  EXPECT_EQ(block.at("input").at("input").as_string(), Marker(BodyHash(body)));
}

TEST(MockMessagesTest, KeyAndVersionAreRequired) {
  MockOptions options;
  options.required_api_key = "ak-right";
  MockApi api(options);
  Reply missing = api.Handle(Messages(std::string(kHello), ""), kNow, kWall);
  EXPECT_EQ(missing.response.status, 401);
  json::object error = Body(missing);
  EXPECT_EQ(error.at("type"), "error");
  EXPECT_EQ(error.at("error").at("type"), "authentication_error");
  EXPECT_EQ(error.at("error").at("message"), "x-api-key header is required");
  EXPECT_EQ(error.at("request_id").as_string(), *missing.response.headers.Get("request-id"));
  EXPECT_EQ(Body(api.Handle(Messages(std::string(kHello), "ak-wrong"), kNow, kWall))
                .at("error")
                .at("message"),
            "invalid x-api-key");

  http::Request unversioned = Messages(std::string(kHello), "ak-right");
  unversioned.headers.Remove("anthropic-version");
  Reply no_version = api.Handle(unversioned, kNow, kWall);
  EXPECT_EQ(no_version.response.status, 400);
  EXPECT_EQ(Body(no_version).at("error").at("message"), "anthropic-version: header is required");
  EXPECT_EQ(api.Handle(Messages(std::string(kHello), "ak-right"), kNow, kWall).response.status,
            200);
  EXPECT_EQ(api.Stats().unauthorized, 2u);
}

TEST(MockMessagesTest, InvalidBodiesGetAnthropicsWording) {
  MockApi api({});
  auto message = [&](std::string body) {
    Reply reply = api.Handle(Messages(std::move(body)), kNow, kWall);
    EXPECT_EQ(reply.response.status, 400);
    json::object b = Body(reply);
    EXPECT_EQ(b.at("error").at("type"), "invalid_request_error");
    return std::string(b.at("error").at("message").as_string());
  };
  EXPECT_EQ(message(R"({"model":"m","messages":[{"role":"user","content":"hi"}]})"),
            "max_tokens: Field required");
  EXPECT_EQ(message(R"({"max_tokens":5,"messages":[{"role":"user","content":"hi"}]})"),
            "model: Field required");
  EXPECT_EQ(message(R"({"model":"m","max_tokens":5})"), "messages: Field required");
  EXPECT_EQ(message(R"({"model":"m","max_tokens":0,"messages":[{"role":"user","content":"x"}]})"),
            "max_tokens: Input should be greater than or equal to 1");
  EXPECT_EQ(message(R"({"model":"m","max_tokens":5,"messages":[{"role":"system","content":"x"}]})"),
            "messages.0.role: Input should be 'user' or 'assistant'");
  EXPECT_EQ(message(R"({"model":"m","max_tokens":5,"temperature":1.5,)"
                    R"("messages":[{"role":"user","content":"x"}]})"),
            "temperature: Input should be less than or equal to 1");
  EXPECT_NE(message("{not json").find("JSON"), std::string::npos);
  EXPECT_EQ(api.Stats().rejected, 7u);
}

TEST(MockMessagesTest, CachedPrefixIsWrittenThenReadUntilItExpires) {
  MockApi api({});
  std::string first = CachedSystem(8000, "one?");  // 2000 tokens: cacheable
  json::object write = Body(api.Handle(Messages(first), kNow, kWall)).at("usage").as_object();
  EXPECT_EQ(write.at("cache_creation_input_tokens"), 2000);
  EXPECT_EQ(write.at("cache_read_input_tokens"), 0);
  EXPECT_EQ(write.at("input_tokens"), 1) << "only what follows the breakpoint";

  std::string second = CachedSystem(8000, "another question?");
  json::object read = Body(api.Handle(Messages(second), kNow + std::chrono::minutes(4), kWall))
                          .at("usage")
                          .as_object();
  EXPECT_EQ(read.at("cache_creation_input_tokens"), 0);
  EXPECT_EQ(read.at("cache_read_input_tokens"), 2000);

  json::object again = Body(api.Handle(Messages(first), kNow + std::chrono::minutes(10), kWall))
                           .at("usage")
                           .as_object();
  EXPECT_EQ(again.at("cache_creation_input_tokens"), 2000) << "5 minutes after its last use";
}

TEST(MockMessagesTest, ShortPrefixesAreNotCached) {
  MockApi api({});
  json::object usage =
      Body(api.Handle(Messages(CachedSystem(400, "q")), kNow, kWall)).at("usage").as_object();
  EXPECT_EQ(usage.at("cache_creation_input_tokens"), 0);
  EXPECT_EQ(usage.at("input_tokens"), 101);
}

TEST(MockMessagesTest, StreamSendsAnthropicsEventsInOrder) {
  MockApi api({});
  std::string body =
      R"({"model":"m","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"hi there"}]})";
  Reply reply = api.Handle(Messages(body), kNow, kWall);
  ASSERT_TRUE(reply.stream);
  EXPECT_EQ(reply.response.headers.Get("content-type"), "text/event-stream; charset=utf-8");
  std::vector<std::string> types;
  std::string text;
  std::int64_t output_tokens = -1;
  for (const StreamEvent& event : reply.events) {
    ASSERT_TRUE(event.data.starts_with("event: ")) << event.data;
    std::size_t data = event.data.find("\ndata: ");
    ASSERT_NE(data, std::string::npos);
    std::string type = event.data.substr(7, data - 7);
    json::object payload = json::parse(event.data.substr(data + 7)).as_object();
    EXPECT_EQ(payload.at("type").as_string(), type);
    types.push_back(type);
    if (type == "content_block_delta") text += payload.at("delta").at("text").as_string();
    if (type == "message_delta") {
      EXPECT_EQ(payload.at("delta").at("stop_reason"), "end_turn");
      output_tokens = payload.at("usage").at("output_tokens").as_int64();
    }
    if (type == "message_start") {
      EXPECT_EQ(payload.at("message").at("usage").at("input_tokens"), 2);
    }
  }
  ASSERT_GE(types.size(), 7u);
  EXPECT_EQ(types[0], "message_start");
  EXPECT_EQ(types[1], "content_block_start");
  EXPECT_EQ(types[2], "ping");
  EXPECT_EQ(types[3], "content_block_delta");
  EXPECT_EQ(types[types.size() - 3], "content_block_stop");
  EXPECT_EQ(types[types.size() - 2], "message_delta");
  EXPECT_EQ(types.back(), "message_stop");
  EXPECT_TRUE(text.starts_with(Marker(BodyHash(body)) + " hi there")) << text;
  EXPECT_EQ(output_tokens, std::count(text.begin(), text.end(), ' ') + 1);
}

TEST(MockMessagesTest, RequestsPerMinuteAreLimitedWithAnthropicsHeaders) {
  MockOptions options;
  options.rpm = 2;
  MockApi api(options);
  Reply ok = api.Handle(Messages(std::string(kHello)), kNow, kWall);
  EXPECT_EQ(ok.response.headers.Get("anthropic-ratelimit-requests-limit"), "2");
  EXPECT_EQ(ok.response.headers.Get("anthropic-ratelimit-requests-remaining"), "1");
  // Full again 30 s after kWall (one request refills in 30 s at 2 per minute).
  EXPECT_EQ(ok.response.headers.Get("anthropic-ratelimit-requests-reset"), "2026-01-01T00:00:30Z");
  EXPECT_FALSE(ok.response.headers.Get("x-ratelimit-limit-requests"));
  EXPECT_EQ(api.Handle(Messages(std::string(kHello)), kNow, kWall).response.status, 200);

  Reply limited = api.Handle(Messages(std::string(kHello)), kNow, kWall);
  EXPECT_EQ(limited.response.status, 429);
  json::object error = Body(limited).at("error").as_object();
  EXPECT_EQ(error.at("type"), "rate_limit_error");
  EXPECT_NE(error.at("message").as_string().find("rate limit of 2 requests per minute"),
            std::string::npos)
      << error;
  EXPECT_EQ(limited.response.headers.Get("retry-after"), "30");
  EXPECT_EQ(limited.response.headers.Get("anthropic-ratelimit-requests-remaining"), "0");
  EXPECT_EQ(api.Handle(Messages(std::string(kHello)), kNow + std::chrono::seconds(30), kWall)
                .response.status,
            200);
  EXPECT_EQ(api.Stats().rate_limited, 1u);
}

TEST(MockMessagesTest, InputTokensCountUncachedInputAndCacheWritesButNotReads) {
  MockOptions options;
  options.itpm = 5000;
  MockApi api(options);
  std::string body = CachedSystem(8000, "q");  // 2000 cached + 1 after the breakpoint
  Reply write = api.Handle(Messages(body), kNow, kWall);
  ASSERT_EQ(write.response.status, 200);
  EXPECT_EQ(write.response.headers.Get("anthropic-ratelimit-input-tokens-remaining"), "3000")
      << "5000 - 2001, rounded to the thousand";
  // Reads are free: many requests reading the same 2000-token prefix fit in 5000 ITPM.
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(api.Handle(Messages(body), kNow, kWall).response.status, 200) << i;
  }
  Reply big = api.Handle(Messages(CachedSystem(16000, "other")), kNow, kWall);  // 4001 written
  EXPECT_EQ(big.response.status, 429);
  EXPECT_NE(Body(big).at("error").at("message").as_string().find("5,000 input tokens per minute"),
            std::string::npos);
}

TEST(MockMessagesTest, OutputTokensAreChargedAfterTheAnswer) {
  MockOptions options;
  options.otpm = 10;
  MockApi api(options);
  std::string body = R"({"model":"m","max_tokens":4000,"messages":[{"role":"user",)"
                     R"("content":"one two three four five six seven eight nine ten eleven"}]})";
  Reply first = api.Handle(Messages(body), kNow, kWall);
  ASSERT_EQ(first.response.status, 200) << "max_tokens is not charged";
  EXPECT_EQ(first.response.headers.Get("anthropic-ratelimit-output-tokens-remaining"), "0");
  Reply second = api.Handle(Messages(body), kNow, kWall);
  EXPECT_EQ(second.response.status, 429) << "the first answer used the whole minute";
  EXPECT_NE(Body(second).at("error").at("message").as_string().find("output tokens"),
            std::string::npos);
  EXPECT_TRUE(second.response.headers.Get("retry-after"));
}

TEST(MockMessagesTest, FaultsAnswerInAnthropicsShape) {
  MockOptions overloaded;
  overloaded.faults.http_503 = 1;
  Reply busy = MockApi(overloaded).Handle(Messages(std::string(kHello)), kNow, kWall);
  EXPECT_EQ(busy.response.status, 529);
  EXPECT_EQ(Body(busy).at("error").at("type"), "overloaded_error");

  MockOptions broken;
  broken.faults.http_500 = 1;
  Reply failed = MockApi(broken).Handle(Messages(std::string(kHello)), kNow, kWall);
  EXPECT_EQ(failed.response.status, 500);
  EXPECT_EQ(Body(failed).at("error").at("type"), "api_error");
}

}  // namespace
}  // namespace sluice::mock
