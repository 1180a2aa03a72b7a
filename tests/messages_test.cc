// sluice serve's POST /v1/messages (Anthropic's clients) in front of `sluice mock`, with an
// anthropic deployment (the request relayed as it came, Anthropic's own bytes back) and an
// OpenAI-compatible one (translated both ways), plain and streamed; and what a client of it
// gets for bad input, a bad key, an unknown model, no capacity and a damaged upstream answer:
// Anthropic's error shape every time.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/process.h"
#include "support/raw_http.h"
#include "support/run_fixture.h"

namespace sluice::test_support {
namespace {

namespace json = boost::json;
constexpr auto kTimeout = std::chrono::seconds(30);
constexpr const char* kKey = "sk-gw-team-a-0123456789abcdef";

class MessagesTest : public ::testing::Test {
 protected:
  // Starts the mock with `mock_args` and sluice serve with three models on it: claude (an
  // anthropic deployment), gpt-4o-mini (openai-compatible) and scarce (1 rpm, anthropic).
  void Start(std::vector<std::string> mock_args = {}) {
    mock_args.insert(mock_args.end(), {"--api-key", "sk-test"});
    ASSERT_TRUE(fixture_.Start(mock_args).ok());
    std::string mock = "http://127.0.0.1:" + std::to_string(fixture_.mock_port());
    std::string config = fixture_.WriteInput(
        "messages.yaml",
        "data_dir: " + fixture_.Path("data") +
            "\nretry: {base_delay: 10ms, max_delay: 50ms, max_attempts: 3}\n"
            "proxy: {max_wait: 300ms}\n"
            "keys:\n  - name: team-a\n    key: " + kKey +
            "\nmodels:\n"
            "  - name: claude\n    deployments:\n"
            "      - {provider: anthropic, base_url: '" + mock + "', api_key: sk-test, "
            "model: claude-sonnet-4-5}\n"
            "  - name: gpt-4o-mini\n    deployments:\n"
            "      - {provider: openai-compatible, base_url: '" + mock + "/v1', "
            "api_key: sk-test, model: gpt-4o-mini}\n"
            "  - name: scarce\n    deployments:\n"
            "      - {provider: anthropic, base_url: '" + mock + "', api_key: sk-test, "
            "model: claude-haiku-4-5, rpm: 1}\n");
    Result<Serving> serving = StartServe(config);
    ASSERT_TRUE(serving.ok()) << serving.status();
    serving_ = std::move(*serving);
  }

  Result<RawResponse> Messages(const std::string& body,
                               std::vector<std::string> headers = {
                                   std::string("x-api-key: ") + kKey,
                                   "anthropic-version: 2023-06-01",
                                   "content-type: application/json"}) {
    return RawHttpWithHeaders(serving_.port, "POST", "/v1/messages", body, kTimeout, headers);
  }

  static std::string Ask(const std::string& model, const std::string& extra = "") {
    return R"({"model":")" + model + R"(","max_tokens":16,)" + extra +
           R"("messages":[{"role":"user","content":"Capital of France?"}]})";
  }

  RunFixture fixture_;
  Serving serving_;
};

bool HasHeader(const RawResponse& response, const std::string& name) {
  std::string head = response.head;
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return head.find("\r\n" + name + ": ") != std::string::npos;
}

// The Anthropic error's type and message; fails the test when the body is no such error.
std::pair<std::string, std::string> ErrorOf(const RawResponse& response) {
  boost::system::error_code ec;
  json::value body = json::parse(response.body, ec);
  EXPECT_FALSE(ec) << response.body;
  if (ec || !body.is_object() || body.as_object().if_contains("error") == nullptr) return {};
  EXPECT_EQ(body.at("type"), "error") << response.body;
  EXPECT_TRUE(HasHeader(response, "request-id")) << response.head;
  EXPECT_TRUE(HasHeader(response, "x-request-id")) << response.head;
  return {std::string(body.at("error").at("type").as_string()),
          std::string(body.at("error").at("message").as_string())};
}

TEST_F(MessagesTest, AnAnthropicDeploymentGetsTheRequestAsItCame) {
  Start();
  // top_k has no OpenAI form, but Anthropic takes it: relayed, never refused.
  auto answer = Messages(Ask("claude", R"("top_k":5,)"),
                         {std::string("x-api-key: ") + kKey, "anthropic-version: 2026-10-21",
                          "content-type: application/json"});
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->status, 200) << answer->body;
  EXPECT_TRUE(HasHeader(*answer, "request-id")) << answer->head;
  json::object message = json::parse(answer->body).as_object();
  EXPECT_EQ(message.at("type"), "message");
  EXPECT_EQ(message.at("model"), "claude-sonnet-4-5") << "the deployment's model name was sent";
  EXPECT_TRUE(message.at("id").as_string().starts_with("msg_"));
  EXPECT_TRUE(message.at("content").at(0).at("text").as_string().starts_with("mock:"));
  EXPECT_TRUE(message.at("usage").as_object().contains("cache_creation")) << "Anthropic's bytes";
  auto stats = fixture_.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(StatCount(*stats, "rejected"), 0);
}

TEST_F(MessagesTest, AnAnthropicDeploymentsStreamIsRelayedUnchanged) {
  Start();
  auto streamed = Messages(Ask("claude", R"("stream":true,)"));
  ASSERT_TRUE(streamed.ok()) << streamed.status();
  EXPECT_EQ(streamed->status, 200) << streamed->body;
  EXPECT_TRUE(HasHeader(*streamed, "request-id")) << streamed->head;
  EXPECT_TRUE(streamed->body.starts_with("event: message_start\n")) << streamed->body;
  EXPECT_NE(streamed->body.find("event: ping\n"), std::string::npos) << "the mock's own ping";
  EXPECT_NE(streamed->body.find(R"("type":"text_delta","text":"mock:)"), std::string::npos);
  EXPECT_TRUE(streamed->body.ends_with("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"))
      << streamed->body;
}

TEST_F(MessagesTest, AnOpenAiDeploymentAnswersAsAMessage) {
  Start();
  auto answer = Messages(
      R"({"model":"gpt-4o-mini","max_tokens":64,"system":"Be terse.","stop_sequences":["zzz"],)"
      R"("messages":[{"role":"user","content":[{"type":"text","text":"Capital of France?"}]}]})");
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->status, 200) << answer->body;
  json::object message = json::parse(answer->body).as_object();
  EXPECT_EQ(message.at("type"), "message");
  EXPECT_EQ(message.at("role"), "assistant");
  EXPECT_EQ(message.at("content").at(0).at("type"), "text");
  EXPECT_TRUE(message.at("content").at(0).at("text").as_string().starts_with("mock:"));
  EXPECT_EQ(message.at("stop_reason"), "end_turn");
  EXPECT_GT(message.at("usage").at("input_tokens").as_int64(), 0);
  EXPECT_GT(message.at("usage").at("output_tokens").as_int64(), 0);
}

TEST_F(MessagesTest, AnOpenAiDeploymentsChunksBecomeAnthropicsEvents) {
  Start();
  auto streamed = Messages(Ask("gpt-4o-mini", R"("stream":true,)"));
  ASSERT_TRUE(streamed.ok()) << streamed.status();
  EXPECT_EQ(streamed->status, 200) << streamed->body;
  const std::string& body = streamed->body;
  std::size_t start = body.find("event: message_start\n");
  std::size_t block = body.find("event: content_block_start\n");
  std::size_t delta = body.find("event: message_delta\n");
  std::size_t stop = body.find("event: message_stop\n");
  ASSERT_NE(stop, std::string::npos) << body;
  EXPECT_TRUE(start == 0 && start < block && block < delta && delta < stop) << body;
  EXPECT_EQ(body.find("[DONE]"), std::string::npos) << "no OpenAI framing left";
  // The usage asked of the upstream (stream_options.include_usage) reaches message_delta.
  std::size_t data = body.find("data: ", delta);
  json::object message_delta =
      json::parse(body.substr(data + 6, body.find('\n', data) - data - 6)).as_object();
  EXPECT_GT(message_delta.at("usage").at("output_tokens").as_int64(), 0) << body;
  EXPECT_GT(message_delta.at("usage").at("input_tokens").as_int64(), 0) << body;
}

TEST_F(MessagesTest, BadInputGetsAnthropicsErrorsNamingTheField) {
  Start();
  auto not_json = Messages("{not json");
  ASSERT_TRUE(not_json.ok());
  EXPECT_EQ(not_json->status, 400);
  EXPECT_EQ(ErrorOf(*not_json).first, "invalid_request_error");

  auto no_cap = Messages(R"({"model":"claude","messages":[{"role":"user","content":"hi"}]})");
  ASSERT_TRUE(no_cap.ok());
  EXPECT_EQ(no_cap->status, 400);
  EXPECT_EQ(ErrorOf(*no_cap).second, "max_tokens: Field required");

  auto bad_role = Messages(R"({"model":"claude","max_tokens":4,"messages":[{"role":"system",)"
                           R"("content":"hi"}]})");
  ASSERT_TRUE(bad_role.ok());
  EXPECT_EQ(ErrorOf(*bad_role).second, "messages.0.role: Input should be 'user' or 'assistant'");

  auto top_k = Messages(Ask("gpt-4o-mini", R"("top_k":5,)"));
  ASSERT_TRUE(top_k.ok());
  EXPECT_EQ(top_k->status, 400);
  EXPECT_NE(ErrorOf(*top_k).second.find("top_k"), std::string::npos);

  auto unknown = Messages(Ask("claude-unknown"));
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(ErrorOf(*unknown).first, "not_found_error");

  auto get = RawHttpWithHeaders(serving_.port, "GET", "/v1/messages", "", kTimeout,
                                {std::string("x-api-key: ") + kKey});
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(get->status, 405);
  EXPECT_EQ(ErrorOf(*get).first, "invalid_request_error");
}

TEST_F(MessagesTest, KeysComeFromXApiKeyOrBearerAndBadOnesGetAuthenticationError) {
  Start();
  auto bearer = Messages(Ask("claude"), {std::string("authorization: Bearer ") + kKey,
                                         "content-type: application/json"});
  ASSERT_TRUE(bearer.ok());
  EXPECT_EQ(bearer->status, 200) << bearer->body;

  auto wrong = Messages(Ask("claude"), {"x-api-key: sk-wrong-0123456789abcdef",
                                        "content-type: application/json"});
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(ErrorOf(*wrong), std::make_pair(std::string("authentication_error"),
                                            std::string("invalid x-api-key")));
  auto none = Messages(Ask("claude"), {"content-type: application/json"});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(ErrorOf(*none).second, "x-api-key header is required");
}

TEST_F(MessagesTest, NoCapacityIsARateLimitErrorWithRetryAfter) {
  Start();
  auto first = Messages(Ask("scarce"));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->status, 200) << first->body;
  auto second = Messages(Ask("scarce"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->status, 429) << second->body;
  EXPECT_EQ(ErrorOf(*second).first, "rate_limit_error");
  EXPECT_TRUE(HasHeader(*second, "retry-after")) << second->head;
}

TEST_F(MessagesTest, ADamagedUpstreamAnswerIsRetriedThenAClearError) {
  Start({"--fail-malformed", "1"});
  for (const char* model : {"claude", "gpt-4o-mini"}) {
    auto answer = Messages(Ask(model));
    ASSERT_TRUE(answer.ok()) << answer.status();
    EXPECT_EQ(answer->status, 502) << model << ": " << answer->body;
    auto [type, message] = ErrorOf(*answer);
    EXPECT_EQ(type, "api_error");
    EXPECT_NE(message.find("damaged"), std::string::npos) << message;
  }
  auto stats = fixture_.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(StatCount(*stats, "received"), 6) << "three attempts each";
}

TEST_F(MessagesTest, AStreamCutMidwayEndsWithAnErrorEvent) {
  Start({"--fail-reset", "1"});
  for (const char* model : {"claude", "gpt-4o-mini"}) {
    auto streamed = Messages(Ask(model, R"("stream":true,)"));
    ASSERT_TRUE(streamed.ok()) << streamed.status();
    if (streamed->status == 200) {
      EXPECT_NE(streamed->body.find("event: error\ndata: {\"type\":\"error\""), std::string::npos)
          << model << ": " << streamed->body;
      EXPECT_EQ(streamed->body.find("event: message_stop"), std::string::npos) << streamed->body;
    } else {  // cut before the head: retried, then a clear error
      EXPECT_EQ(streamed->status, 502) << streamed->body;
      EXPECT_EQ(ErrorOf(*streamed).first, "api_error");
    }
  }
  auto metrics = RawHttp(serving_.port, "GET", "/metrics", "", kTimeout);
  ASSERT_TRUE(metrics.ok());
  EXPECT_NE(metrics->body.find(R"(sluice_http_requests_total{method="POST",route="/v1/messages")"),
            std::string::npos);
}

}  // namespace
}  // namespace sluice::test_support
