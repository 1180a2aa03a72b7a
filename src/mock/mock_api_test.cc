#include "mock/mock_api.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "mock/body_hash.h"
#include "mock/content_generator.h"

namespace sluice::mock {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

const TimePoint kNow = TimePoint(std::chrono::hours(100));
const WallTime kWall = WallTime(std::chrono::seconds(1767225600));
constexpr std::string_view kChat =
    R"({"model":"gpt-4o-mini","max_tokens":20,"messages":[{"role":"user","content":"Capital of France?"}]})";

http::Request Post(std::string target, std::string body, std::string key = "") {
  http::Request r;
  r.method = "POST";
  r.target = std::move(target);
  r.body = std::move(body);
  if (!key.empty()) r.headers.Add("Authorization", "Bearer " + key);
  return r;
}

http::Request Get(std::string target) {
  http::Request r;
  r.method = "GET";
  r.target = std::move(target);
  return r;
}

json::object Body(const Reply& reply) { return json::parse(reply.response.body).as_object(); }

TEST(MockApiTest, ARequestPastTheContextWindowGetsOpenAisContextLengthError) {
  MockOptions options;
  options.context_window = 24;
  MockApi api(options);
  // 5 prompt tokens + 20 output tokens > 24.
  Reply reply = api.Handle(Post("/v1/chat/completions", std::string(kChat)), kNow, kWall);
  ASSERT_EQ(reply.response.status, 400);
  json::object error = Body(reply).at("error").as_object();
  EXPECT_EQ(error.at("code"), "context_length_exceeded");
  EXPECT_EQ(error.at("type"), "invalid_request_error");
  EXPECT_EQ(error.at("param"), "messages");
  EXPECT_EQ(error.at("message"),
            "This model's maximum context length is 24 tokens. However, you requested 25 tokens "
            "(5 in the messages, 20 in the completion). Please reduce the length of the messages "
            "or completion.");
  options.context_window = 25;
  MockApi roomy(options);
  EXPECT_EQ(roomy.Handle(Post("/v1/chat/completions", std::string(kChat)), kNow, kWall)
                .response.status,
            200);
}

TEST(MockApiTest, ChatCompletionHasOpenAiShape) {
  MockApi api({});
  Reply reply = api.Handle(Post("/v1/chat/completions", std::string(kChat)), kNow, kWall);
  ASSERT_EQ(reply.response.status, 200) << reply.response.body;
  EXPECT_EQ(reply.response.headers.Get("content-type"), "application/json");
  EXPECT_TRUE(reply.response.headers.Get("x-request-id")->starts_with("req_"));
  json::object b = Body(reply);
  EXPECT_TRUE(b.at("id").as_string().starts_with("chatcmpl-"));
  EXPECT_EQ(b.at("object"), "chat.completion");
  EXPECT_EQ(b.at("created"), 1767225600);
  EXPECT_EQ(b.at("model"), "gpt-4o-mini");
  const json::object& choice = b.at("choices").as_array().at(0).as_object();
  EXPECT_EQ(choice.at("index"), 0);
  EXPECT_EQ(choice.at("message").at("role"), "assistant");
  std::string content(choice.at("message").at("content").as_string());
  EXPECT_EQ(content.rfind(Marker(BodyHash(kChat)) + " Capital of France?", 0), 0u) << content;
  const json::object& usage = b.at("usage").as_object();
  EXPECT_EQ(usage.at("prompt_tokens"), 5);  // ceil(18 / 4)
  std::int64_t completion = usage.at("completion_tokens").as_int64();
  EXPECT_EQ(completion, std::count(content.begin(), content.end(), ' ') + 1);
  EXPECT_LE(completion, 20);
  EXPECT_EQ(usage.at("total_tokens"), 5 + completion);
  EXPECT_EQ(usage.at("prompt_tokens_details").at("cached_tokens"), 0);
  EXPECT_EQ(usage.at("completion_tokens_details").at("reasoning_tokens"), 0);
  EXPECT_EQ(choice.at("finish_reason"), "stop");
}

TEST(MockApiTest, AnswersAreDeterministicAcrossInstancesWithTheSameSeed) {
  MockApi a({});
  MockApi b({});
  json::object x = Body(a.Handle(Post("/v1/chat/completions", std::string(kChat)), kNow, kWall));
  json::object y = Body(b.Handle(Post("/v1/chat/completions", std::string(kChat)), kNow, kWall));
  EXPECT_EQ(x.at("choices"), y.at("choices"));
  EXPECT_EQ(x.at("id"), y.at("id"));
}

TEST(MockApiTest, NChoicesAndLengthFinish) {
  MockApi api({});
  Reply reply = api.Handle(
      Post(
          "/v1/chat/completions",
          R"({"model":"m","n":3,"max_completion_tokens":2,"messages":[{"role":"user","content":"a b c"}]})"),
      kNow, kWall);
  json::object b = Body(reply);
  ASSERT_EQ(b.at("choices").as_array().size(), 3u);
  for (const json::value& c : b.at("choices").as_array()) {
    EXPECT_EQ(c.at("finish_reason"), "length");
  }
  EXPECT_EQ(b.at("usage").at("completion_tokens"), 6);
}

TEST(MockApiTest, StreamSendsChunksThenUsageThenDone) {
  MockApi api({});
  Reply reply = api.Handle(
      Post(
          "/v1/chat/completions",
          R"({"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi you"}]})"),
      kNow, kWall);
  ASSERT_TRUE(reply.stream);
  EXPECT_EQ(reply.response.headers.Get("content-type"), "text/event-stream; charset=utf-8");
  ASSERT_GE(reply.events.size(), 5u);
  EXPECT_EQ(reply.events.back().data, "data: [DONE]\n\n");
  std::string content;
  std::string id;
  for (std::size_t i = 0; i + 1 < reply.events.size(); ++i) {
    const std::string& e = reply.events[i].data;
    ASSERT_TRUE(e.starts_with("data: ") && e.ends_with("\n\n")) << e;
    json::object chunk = json::parse(e.substr(6)).as_object();
    EXPECT_EQ(chunk.at("object"), "chat.completion.chunk");
    if (id.empty()) id = chunk.at("id").as_string();
    EXPECT_EQ(chunk.at("id").as_string(), id);
    bool last = i + 2 == reply.events.size();
    if (last) {
      EXPECT_TRUE(chunk.at("choices").as_array().empty());
      EXPECT_EQ(chunk.at("usage").at("completion_tokens").as_int64(),
                std::count(content.begin(), content.end(), ' ') + 1);
      continue;
    }
    EXPECT_TRUE(chunk.at("usage").is_null());
    const json::object& delta = chunk.at("choices").at(0).at("delta").as_object();
    if (i == 0) {
      EXPECT_EQ(delta.at("role"), "assistant");
    }
    if (const json::value* c = delta.if_contains("content")) content += c->as_string();
  }
  EXPECT_TRUE(content.starts_with("mock:")) << content;
  EXPECT_NE(content.find(" hi you"), std::string::npos);
}

TEST(MockApiTest, StreamSpreadsPerTokenTimeAcrossChunks) {
  MockOptions o;
  o.time_to_first_byte = milliseconds(100);
  o.time_per_output_token = milliseconds(10);
  MockApi api(o);
  Reply reply = api.Handle(
      Post(
          "/v1/chat/completions",
          R"({"model":"m","stream":true,"max_tokens":4,"messages":[{"role":"user","content":"a b c d e"}]})"),
      kNow, kWall);
  EXPECT_EQ(reply.delay, milliseconds(100));
  Duration total{0};
  for (const StreamEvent& e : reply.events) total += e.delay;
  EXPECT_EQ(total, milliseconds(40));
}

TEST(MockApiTest, WholeAnswerWaitsFirstByteAndGenerationTime) {
  MockOptions o;
  o.time_to_first_byte = milliseconds(100);
  o.time_per_output_token = milliseconds(10);
  MockApi api(o);
  Reply reply = api.Handle(
      Post("/v1/chat/completions",
           R"({"model":"m","max_tokens":3,"messages":[{"role":"user","content":"a b c d e"}]})"),
      kNow, kWall);
  EXPECT_EQ(reply.delay, milliseconds(130));
}

TEST(MockApiTest, JitterStaysWithinTheFraction) {
  MockOptions o;
  o.time_to_first_byte = milliseconds(1000);
  o.latency_jitter = 0.2;
  MockApi api(o);
  std::set<Duration> seen;
  for (int i = 0; i < 50; ++i) {
    Reply r = api.Handle(Post("/v1/embeddings", R"({"model":"e","input":"x"})"), kNow, kWall);
    EXPECT_GE(r.delay, milliseconds(800));
    EXPECT_LE(r.delay, milliseconds(1200));
    seen.insert(r.delay);
  }
  EXPECT_GT(seen.size(), 10u);
}

TEST(MockApiTest, EmbeddingsInFloatAndBase64) {
  MockApi api({});
  json::object f = Body(api.Handle(
      Post("/v1/embeddings", R"({"model":"text-embedding-3-small","input":["abcd","efgh"]})"), kNow,
      kWall));
  EXPECT_EQ(f.at("object"), "list");
  ASSERT_EQ(f.at("data").as_array().size(), 2u);
  EXPECT_EQ(f.at("data").at(1).at("index"), 1);
  EXPECT_EQ(f.at("data").at(0).at("object"), "embedding");
  EXPECT_EQ(f.at("data").at(0).at("embedding").as_array().size(), 1536u);
  EXPECT_EQ(f.at("usage").at("prompt_tokens"), 2);
  json::object b = Body(
      api.Handle(Post("/v1/embeddings",
                      R"({"model":"e","input":"abcd","dimensions":4,"encoding_format":"base64"})"),
                 kNow, kWall));
  EXPECT_EQ(b.at("data").at(0).at("embedding").as_string().size(), 24u);  // 16 bytes in base64
}

TEST(MockApiTest, LegacyCompletionShape) {
  MockApi api({});
  json::object b = Body(api.Handle(
      Post("/v1/completions", R"({"model":"gpt-3.5-turbo-instruct","prompt":"Say this"})"), kNow,
      kWall));
  EXPECT_TRUE(b.at("id").as_string().starts_with("cmpl-"));
  EXPECT_EQ(b.at("object"), "text_completion");
  EXPECT_TRUE(b.at("choices").at(0).at("text").as_string().starts_with("mock:"));
  EXPECT_TRUE(b.at("choices").at(0).at("logprobs").is_null());
}

TEST(MockApiTest, ModelsListAndModel) {
  MockApi api({});
  json::object list = Body(api.Handle(Get("/v1/models"), kNow, kWall));
  EXPECT_EQ(list.at("object"), "list");
  EXPECT_GT(list.at("data").as_array().size(), 3u);
  EXPECT_EQ(list.at("data").at(0).at("object"), "model");
  json::object one = Body(api.Handle(Get("/v1/models/gpt-4o"), kNow, kWall));
  EXPECT_EQ(one.at("id"), "gpt-4o");
  EXPECT_EQ(one.at("owned_by"), "system");
}

TEST(MockApiTest, UnknownRouteIs404AndWrongMethodIs405) {
  MockApi api({});
  Reply missing = api.Handle(Post("/v1/nothing", "{}"), kNow, kWall);
  EXPECT_EQ(missing.response.status, 404);
  EXPECT_EQ(Body(missing).at("error").at("type"), "invalid_request_error");
  Reply wrong = api.Handle(Get("/v1/chat/completions"), kNow, kWall);
  EXPECT_EQ(wrong.response.status, 405);
  EXPECT_EQ(wrong.response.headers.Get("allow"), "POST");
  EXPECT_TRUE(Body(wrong).at("error").at("code").is_null());
}

TEST(MockApiTest, BadBodyIs400InOpenAiShape) {
  MockApi api({});
  Reply r = api.Handle(Post("/v1/chat/completions", R"({"model":"m"})"), kNow, kWall);
  EXPECT_EQ(r.response.status, 400);
  json::object e = Body(r).at("error").as_object();
  EXPECT_EQ(e.at("param"), "messages");
  EXPECT_EQ(e.at("code"), "missing_required_parameter");
  EXPECT_EQ(api.Stats().rejected, 1u);
}

TEST(MockApiTest, RequiredKeyRejectsOthersWith401) {
  MockOptions o;
  o.required_api_key = "sk-right-key-1234";
  MockApi api(o);
  Reply wrong = api.Handle(Post("/v1/chat/completions", std::string(kChat), "sk-wrong-key-9876"),
                           kNow, kWall);
  EXPECT_EQ(wrong.response.status, 401);
  json::object e = Body(wrong).at("error").as_object();
  EXPECT_EQ(e.at("code"), "invalid_api_key");
  EXPECT_EQ(e.at("type"), "invalid_request_error");
  EXPECT_NE(e.at("message").as_string().find("Incorrect API key provided: sk-**********9876."),
            json::string::npos)
      << e.at("message");
  EXPECT_EQ(
      api.Handle(Post("/v1/chat/completions", std::string(kChat)), kNow, kWall).response.status,
      401);
  EXPECT_EQ(
      api.Handle(Post("/v1/chat/completions", std::string(kChat), "sk-right-key-1234"), kNow, kWall)
          .response.status,
      200);
  EXPECT_EQ(api.Stats().unauthorized, 2u);
}

TEST(MockApiTest, RateLimitsPerKeyWith429AndHeaders) {
  MockOptions o;
  o.rpm = 2;
  MockApi api(o);
  for (int i = 0; i < 2; ++i) {
    Reply ok = api.Handle(Post("/v1/chat/completions", std::string(kChat), "k1"), kNow, kWall);
    EXPECT_EQ(ok.response.status, 200);
    EXPECT_EQ(ok.response.headers.Get("x-ratelimit-remaining-requests"), i == 0 ? "1" : "0");
  }
  Reply limited = api.Handle(Post("/v1/chat/completions", std::string(kChat), "k1"), kNow, kWall);
  EXPECT_EQ(limited.response.status, 429);
  EXPECT_EQ(limited.response.headers.Get("retry-after-ms"), "30000");
  EXPECT_EQ(limited.response.headers.Get("retry-after"), "30");
  EXPECT_TRUE(limited.response.headers.Get("x-request-id").has_value());
  EXPECT_EQ(Body(limited).at("error").at("type"), "requests");
  EXPECT_EQ(api.Handle(Post("/v1/chat/completions", std::string(kChat), "k2"), kNow, kWall)
                .response.status,
            200);
  EXPECT_EQ(api.Handle(Post("/v1/chat/completions", std::string(kChat), "k1"),
                       kNow + std::chrono::seconds(30), kWall)
                .response.status,
            200);
  EXPECT_EQ(api.Stats().rate_limited, 1u);
}

TEST(MockApiTest, TokenChargeUsesEstimateAndDefaultMaxTokens) {
  MockOptions o;
  o.tpm = 1000;
  MockApi api(o);
  // No max_tokens: charged ceil(18/4) + 16 = 21.
  Reply r = api.Handle(
      Post("/v1/chat/completions",
           R"({"model":"m","messages":[{"role":"user","content":"Capital of France?"}]})"),
      kNow, kWall);
  EXPECT_EQ(r.response.headers.Get("x-ratelimit-remaining-tokens"), "979");
}

TEST(MockApiTest, FaultsReplaceTheAnswer) {
  struct Case {
    FaultRates rates;
    int status;
    FaultKind kind;
  };
  const Case cases[] = {{{1, 0, 0, 0, 0}, 500, FaultKind::kHttp500},
                        {{0, 1, 0, 0, 0}, 503, FaultKind::kHttp503},
                        {{0, 0, 1, 0, 0}, 200, FaultKind::kReset},
                        {{0, 0, 0, 1, 0}, 200, FaultKind::kHang},
                        {{0, 0, 0, 0, 1}, 200, FaultKind::kMalformed}};
  for (const Case& c : cases) {
    MockOptions o;
    o.faults = c.rates;
    MockApi api(o);
    Reply r = api.Handle(Post("/v1/chat/completions", std::string(kChat)), kNow, kWall);
    EXPECT_EQ(r.response.status, c.status) << FaultName(c.kind);
    EXPECT_EQ(r.fault, c.kind);
    boost::system::error_code ec;
    json::parse(r.response.body, ec);
    EXPECT_EQ(static_cast<bool>(ec), c.kind == FaultKind::kMalformed) << FaultName(c.kind);
  }
}

TEST(MockApiTest, StatsCountOutcomesAndDistinctBodies) {
  MockOptions o;
  o.faults.http_503 = 0.5;
  MockApi api(o);
  for (int i = 0; i < 10; ++i) {
    (void)api.Handle(Post("/v1/chat/completions", std::string(kChat)), kNow, kWall);
  }
  (void)api.Handle(Post("/v1/embeddings", R"({"model":"e","input":"x"})"), kNow, kWall);
  (void)api.Handle(Get("/mock/stats"), kNow, kWall);  // not counted
  MockStats s = api.Stats();
  EXPECT_EQ(s.received, 11u);
  EXPECT_EQ(s.answered + s.faults.http_503, 11u);
  EXPECT_GT(s.faults.http_503, 0u);
  EXPECT_EQ(s.bodies.size(), 2u);
  EXPECT_EQ(s.bodies.at(HashHex(BodyHash(kChat))), 10u);
  EXPECT_EQ(s.DistinctDuplicates(), 1u);
  EXPECT_EQ(s.DuplicateRequests(), 9u);
  json::object j = json::parse(s.ToJson()).as_object();
  EXPECT_EQ(j.at("received"), 11);
  EXPECT_EQ(j.at("duplicates"), 1);
  EXPECT_EQ(j.at("bodies").at(HashHex(BodyHash(kChat))), 10);
  json::object over_http = Body(api.Handle(Get("/mock/stats"), kNow, kWall));
  EXPECT_EQ(over_http.at("received"), 11);
  EXPECT_EQ(api.Handle(Post("/mock/reset", ""), kNow, kWall).response.status, 200);
  EXPECT_EQ(api.Stats().received, 0u);
  EXPECT_TRUE(api.Stats().bodies.empty());
}

TEST(MockApiTest, RecordsEveryGenerationRequestWhenAsked) {
  MockOptions options;
  options.record_requests = true;
  options.tpm = 30;
  MockApi api(options);
  EXPECT_EQ(
      api.Handle(Post("/v1/chat/completions", std::string(kChat)), kNow, kWall).response.status,
      200);
  EXPECT_EQ(
      api.Handle(Post("/v1/chat/completions", std::string(kChat)), kNow + milliseconds(5), kWall)
          .response.status,
      429);
  Reply log = api.Handle(Get("/mock/requests"), kNow, kWall);
  EXPECT_EQ(log.response.status, 200);
  EXPECT_EQ(log.response.body,
            "arrived_ms\tanswered_ms\tstatus\tcharged\tlabel\n"
            "0.000\t0.000\t200\t25\tCapital\n"
            "5.000\t5.000\t429\t0\tCapital\n");
  (void)api.Handle(Post("/mock/reset", ""), kNow, kWall);
  EXPECT_EQ(api.Handle(Get("/mock/requests"), kNow, kWall).response.body,
            "arrived_ms\tanswered_ms\tstatus\tcharged\tlabel\n");
  MockApi quiet({});
  (void)quiet.Handle(Post("/v1/chat/completions", std::string(kChat)), kNow, kWall);
  EXPECT_EQ(quiet.Handle(Get("/mock/requests"), kNow, kWall).response.body,
            "arrived_ms\tanswered_ms\tstatus\tcharged\tlabel\n");
}

TEST(MockApiTest, EchoesTheClientRequestIdAndKeepsEachRequestsTrace) {
  MockOptions options;
  options.faults.http_500 = 1;
  MockApi api(options);
  http::Request traced = Post("/v1/chat/completions", std::string(kChat));
  traced.headers.Add("X-Client-Request-Id", "c-1");
  traced.headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  Reply failed = api.Handle(traced, kNow, kWall);
  EXPECT_EQ(failed.response.status, 500);
  EXPECT_EQ(failed.response.headers.Get("x-client-request-id"), "c-1");
  EXPECT_TRUE(failed.response.headers.Get("x-request-id"));
  Reply plain = api.Handle(Post("/v1/embeddings", "{}"), kNow, kWall);
  EXPECT_FALSE(plain.response.headers.Get("x-client-request-id"));
  json::array data = Body(api.Handle(Get("/mock/traces"), kNow, kWall)).at("data").as_array();
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[0].at("x-client-request-id"), "c-1");
  EXPECT_EQ(data[0].at("traceparent"), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  EXPECT_EQ(data[0].at("status"), 500);
  EXPECT_EQ(data[1].at("path"), "/v1/embeddings");
  EXPECT_TRUE(data[1].at("x-client-request-id").is_null());
  EXPECT_EQ(data[1].at("status"), 400);  // "{}" asks for no model
  (void)api.Handle(Post("/mock/reset", ""), kNow, kWall);
  EXPECT_EQ(api.Handle(Get("/mock/traces"), kNow, kWall).response.body, R"({"data":[]})");
}

TEST(MockApiTest, CanLeaveTheLimitsUnstated) {
  MockOptions options;
  options.rpm = 100;
  options.tpm = 1000;
  options.state_limits = false;
  MockApi api(options);
  Reply reply = api.Handle(Post("/v1/chat/completions", std::string(kChat)), kNow, kWall);
  EXPECT_FALSE(reply.response.headers.Get("x-ratelimit-limit-tokens").has_value());
  EXPECT_FALSE(reply.response.headers.Get("x-ratelimit-limit-requests").has_value());
  EXPECT_EQ(reply.response.headers.Get("x-ratelimit-remaining-tokens"), "975");
  EXPECT_TRUE(reply.response.headers.Get("x-ratelimit-reset-tokens").has_value());
}

TEST(MockApiTest, AnswersAndErrorsAreIndentedAsOpenAiSendsThem) {
  MockApi api({});
  Reply answer = api.Handle(Post("/v1/chat/completions", std::string(kChat)), kNow, kWall);
  ASSERT_EQ(answer.response.status, 200);
  EXPECT_TRUE(answer.response.body.starts_with("{\n  \"id\": \"chatcmpl-")) << answer.response.body;
  EXPECT_NE(answer.response.body.find("\n    {\n      \"index\": 0,\n      \"message\": {\n"),
            std::string::npos)
      << answer.response.body;
  Reply error = api.Handle(Post("/v1/chat/completions", "{"), kNow, kWall);
  ASSERT_EQ(error.response.status, 400);
  EXPECT_TRUE(error.response.body.starts_with("{\n  \"error\": {\n    \"message\": "))
      << error.response.body;
  EXPECT_TRUE(json::parse(error.response.body).is_object());
  Reply stats = api.Handle(Get("/mock/stats"), kNow, kWall);
  EXPECT_EQ(stats.response.body.find('\n'), std::string::npos);  // for the scripts that grep it
}

TEST(MockApiTest, StreamChunksStayOneLineEach) {
  MockApi api({});
  Reply reply =
      api.Handle(Post("/v1/chat/completions",
                      R"({"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]})"),
                 kNow, kWall);
  ASSERT_TRUE(reply.stream);
  for (const StreamEvent& event : reply.events) {
    EXPECT_EQ(event.data.find('\n'), event.data.size() - 2) << event.data;
  }
}

TEST(MockApiTest, CompactOptionAnswersOnOneLine) {
  MockOptions options;
  options.indent_json = false;
  MockApi api(options);
  Reply reply = api.Handle(Post("/v1/chat/completions", std::string(kChat)), kNow, kWall);
  ASSERT_EQ(reply.response.status, 200);
  EXPECT_EQ(reply.response.body.find('\n'), std::string::npos);
  EXPECT_TRUE(reply.response.body.starts_with("{\"id\":\"chatcmpl-"));
}

}  // namespace
}  // namespace sluice::mock
