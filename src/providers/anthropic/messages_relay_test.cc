#include "providers/anthropic/messages_relay.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace sluice::providers {
namespace {

namespace json = boost::json;

constexpr WallTime kNow{std::chrono::seconds(1767225600)};  // 2026-01-01T00:00:00Z

std::unique_ptr<Provider> Make(FakeClock& clock) {
  return MakeAnthropicProvider({"http://127.0.0.1:9/v1", "sk-ant-test", "claude-sonnet-4-5", "c#0"},
                               {.default_max_tokens = 1024, .clock = &clock});
}

TEST(ReplaceModelTest, ChangesOnlyTheModelsValue) {
  EXPECT_EQ(ReplaceModel(R"({ "max_tokens" : 1.50,"model" : "claude"  , "x":[1]})", "c-4"),
            R"({ "max_tokens" : 1.50,"model" : "c-4"  , "x":[1]})");
  EXPECT_EQ(ReplaceModel(R"({"model":"a\"b"})", "q\"uote"), R"({"model":"q\"uote"})");
  EXPECT_EQ(ReplaceModel(R"({"messages":[{"model":"inner"}],"model":"m"})", "n"),
            R"({"messages":[{"model":"inner"}],"model":"n"})");
  EXPECT_EQ(ReplaceModel(R"({"model":3})", "n"), std::nullopt);
  EXPECT_EQ(ReplaceModel("not json", "n"), std::nullopt);
}

TEST(AnthropicMessagesRelayTest, SendsTheBodyAsItCameWithTheClientsVersionAndBeta) {
  FakeClock clock(kNow);
  auto provider = Make(clock);
  const MessagesRelay* relay = provider->messages_relay();
  ASSERT_NE(relay, nullptr);
  http::Headers client;
  client.Set("anthropic-version", "2026-10-21");
  client.Set("anthropic-beta", "prompt-caching-2024-07-31");
  http::ClientRequest request =
      relay->Encode(R"({"model":"claude","max_tokens":5,"top_k":3,"messages":[]})", client);
  EXPECT_EQ(request.url, "http://127.0.0.1:9/v1/messages");
  EXPECT_EQ(request.body,
            R"({"model":"claude-sonnet-4-5","max_tokens":5,"top_k":3,"messages":[]})");
  EXPECT_EQ(request.headers.Get("x-api-key"), "sk-ant-test");
  EXPECT_EQ(request.headers.Get("anthropic-version"), "2026-10-21");
  EXPECT_EQ(request.headers.Get("anthropic-beta"), "prompt-caching-2024-07-31");
  http::ClientRequest unversioned = relay->Encode(R"({"model":"c"})", {});
  EXPECT_EQ(unversioned.headers.Get("anthropic-version"), "2023-06-01");
  EXPECT_FALSE(unversioned.headers.Get("anthropic-beta"));
}

TEST(AnthropicMessagesRelayTest, KeepsTheAnswerAndReadsItsUsageAndLimits) {
  FakeClock clock(kNow);
  auto provider = Make(clock);
  http::Response answer;
  answer.status = 200;
  answer.headers.Set("request-id", "req_1");
  answer.headers.Set("anthropic-ratelimit-requests-limit", "50");
  answer.headers.Set("anthropic-ratelimit-requests-remaining", "49");
  answer.headers.Set("anthropic-ratelimit-requests-reset", "2026-01-01T00:00:01Z");
  answer.body = R"({"id":"msg_1","type":"message","content":[],"usage":{"input_tokens":10,)"
                R"("cache_read_input_tokens":100,"output_tokens":7}})";
  Outcome outcome = provider->messages_relay()->Decode(answer);
  EXPECT_EQ(outcome.verdict, Verdict::kSuccess);
  EXPECT_EQ(outcome.body, answer.body);
  EXPECT_EQ(outcome.request_id, "req_1");
  EXPECT_EQ(outcome.usage.prompt_tokens, 110);
  EXPECT_EQ(outcome.usage.cached_tokens, 100);
  EXPECT_EQ(outcome.usage.completion_tokens, 7);
  EXPECT_EQ(outcome.hints.hint(ratelimit::Budget::kRequests).limit, 50);

  answer.body = "<html>";
  EXPECT_EQ(provider->messages_relay()->Decode(answer).verdict, Verdict::kRetry);
  answer.status = 529;
  answer.body = R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})";
  Outcome overloaded = provider->messages_relay()->Decode(answer);
  EXPECT_EQ(overloaded.verdict, Verdict::kRetry);
  EXPECT_EQ(overloaded.body, answer.body);
}

TEST(AnthropicMessagesRelayTest, PassesTheStreamOnAndReadsItsUsage) {
  FakeClock clock(kNow);
  auto provider = Make(clock);
  auto decoder = provider->messages_relay()->DecodeStream(200, {});
  std::string stream =
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":"
      "{\"input_tokens\":12,\"output_tokens\":1}}}\n\n"
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
      "\"delta\":{\"type\":\"text_delta\",\"text\":\"hi\"}}\n\n"
      "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{},\"usage\":"
      "{\"output_tokens\":9}}\n\n"
      "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
  std::string relayed;
  for (std::size_t at = 0; at < stream.size(); at += 7)
    relayed += decoder->Feed(stream.substr(at, 7));
  EXPECT_EQ(relayed, stream);
  Outcome outcome = decoder->Finish(OkStatus());
  EXPECT_EQ(outcome.verdict, Verdict::kSuccess);
  EXPECT_EQ(outcome.usage.prompt_tokens, 12);
  EXPECT_EQ(outcome.usage.completion_tokens, 9);
}

TEST(AnthropicMessagesRelayTest, AStreamCutBeforeMessageStopFails) {
  FakeClock clock(kNow);
  auto provider = Make(clock);
  auto decoder = provider->messages_relay()->DecodeStream(200, {});
  decoder->Feed("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{}}\n\n");
  EXPECT_EQ(decoder->Finish(OkStatus()).verdict, Verdict::kFail);
  auto errored = provider->messages_relay()->DecodeStream(200, {});
  errored->Feed(
      "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
      "\"message\":\"Overloaded\"}}\n\n");
  Outcome outcome = errored->Finish(OkStatus());
  EXPECT_EQ(outcome.verdict, Verdict::kFail);
  EXPECT_NE(outcome.status.message().find("overloaded_error"), std::string::npos);
}

TEST(AnthropicMessagesRelayTest, OpenAiProvidersHaveNoRelay) {
  EXPECT_EQ(MakeOpenAiProvider({"http://127.0.0.1:9/v1", "k", "gpt-4o-mini"})->messages_relay(),
            nullptr);
}

}  // namespace
}  // namespace sluice::providers
