#include "providers/anthropic/stream_decoder.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace sluice::providers {
namespace {

namespace json = boost::json;

// A Messages stream as Anthropic sends it (its streaming guide's example, shortened): a text
// block and a tool_use block whose input arrives in pieces, pings, then the stop.
constexpr std::string_view kStream =
    "event: message_start\n"
    "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_014p\",\"type\":\"message\","
    "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,"
    "\"usage\":{\"input_tokens\":472,\"cache_creation_input_tokens\":0,"
    "\"cache_read_input_tokens\":100,\"output_tokens\":2}}}\n\n"
    "event: content_block_start\n"
    "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\","
    "\"text\":\"\"}}\n\n"
    "event: ping\ndata: {\"type\": \"ping\"}\n\n"
    "event: content_block_delta\n"
    "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
    "\"text\":\"Let me check.\"}}\n\n"
    "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
    "event: content_block_start\n"
    "data: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\","
    "\"id\":\"toolu_01\",\"name\":\"get_weather\",\"input\":{}}}\n\n"
    "event: content_block_delta\n"
    "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
    "\"partial_json\":\"{\\\"city\\\": \"}}\n\n"
    "event: content_block_delta\n"
    "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
    "\"partial_json\":\"\\\"Paris\\\"}\"}}\n\n"
    "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n"
    "event: message_delta\n"
    "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
    "\"stop_sequence\":null},\"usage\":{\"output_tokens\":89}}\n\n"
    "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

AnthropicStreamDecoder Decoder(bool include_usage) {
  Outcome head;
  head.verdict = Verdict::kSuccess;
  head.status_code = 200;
  head.request_id = "req_9";
  return AnthropicStreamDecoder(head, {.include_usage = include_usage, .created = 1767225600});
}

// The data of each event in `sse` (as the client's SDK reads it).
std::vector<std::string> Events(std::string_view sse) {
  http::SseParser parser;
  std::vector<std::string> data;
  for (const http::SseEvent& event : parser.Feed(sse)) data.push_back(event.data);
  return data;
}

TEST(AnthropicStreamDecoderTest, TranslatesTextToolCallsFinishAndUsage) {
  AnthropicStreamDecoder decoder = Decoder(true);
  std::vector<std::string> events = Events(decoder.Feed(kStream));
  ASSERT_EQ(events.size(), 8u);
  auto delta = [&](std::size_t i) {
    return json::serialize(
        json::parse(events[i]).as_object()["choices"].as_array()[0].as_object()["delta"]);
  };
  json::object first = json::parse(events[0]).as_object();
  EXPECT_EQ(first["object"], "chat.completion.chunk");
  EXPECT_EQ(first["id"], "msg_014p");
  EXPECT_EQ(first["model"], "claude-sonnet-4-5");
  EXPECT_EQ(first["created"], 1767225600);
  EXPECT_TRUE(first["usage"].is_null());
  EXPECT_EQ(delta(0), R"({"role":"assistant","content":""})");
  EXPECT_EQ(delta(1), R"({"content":"Let me check."})");
  EXPECT_EQ(delta(2), R"({"tool_calls":[{"index":0,"id":"toolu_01","type":"function",)"
                      R"("function":{"name":"get_weather","arguments":""}}]})");
  EXPECT_EQ(delta(3), R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"city\": "}}]})");
  EXPECT_EQ(delta(4), R"({"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]})");
  EXPECT_EQ(
      json::parse(events[5]).as_object()["choices"].as_array()[0].as_object()["finish_reason"],
      "tool_calls");
  json::object usage = json::parse(events[6]).as_object();
  EXPECT_TRUE(usage["choices"].as_array().empty());
  EXPECT_EQ(usage["usage"].as_object()["prompt_tokens"], 572);
  EXPECT_EQ(usage["usage"].as_object()["completion_tokens"], 89);
  EXPECT_EQ(events[7], "[DONE]");
  Outcome outcome = decoder.Finish(OkStatus());
  EXPECT_EQ(outcome.verdict, Verdict::kSuccess);
  EXPECT_EQ(outcome.request_id, "req_9");
  EXPECT_EQ(outcome.usage.prompt_tokens, 572);
  EXPECT_EQ(outcome.usage.cached_tokens, 100);
  EXPECT_EQ(outcome.usage.completion_tokens, 89);
}

TEST(AnthropicStreamDecoderTest, WithoutIncludeUsageNoUsageChunkAndNoUsageField) {
  AnthropicStreamDecoder decoder = Decoder(false);
  std::vector<std::string> events = Events(decoder.Feed(kStream));
  ASSERT_EQ(events.size(), 7u);
  EXPECT_FALSE(json::parse(events[0]).as_object().contains("usage"));
  EXPECT_EQ(events[6], "[DONE]");
}

TEST(AnthropicStreamDecoderTest, TheSameBytesWhereverTheStreamIsSplit) {
  AnthropicStreamDecoder whole = Decoder(true);
  std::string expected = whole.Feed(kStream);
  for (std::size_t cut = 0; cut <= kStream.size(); ++cut) {
    AnthropicStreamDecoder split = Decoder(true);
    std::string relayed = split.Feed(kStream.substr(0, cut));
    relayed += split.Feed(kStream.substr(cut));
    ASSERT_EQ(relayed, expected) << "cut at " << cut;
  }
  AnthropicStreamDecoder bytes = Decoder(true);
  std::string relayed;
  for (char c : kStream) relayed += bytes.Feed(std::string_view(&c, 1));
  EXPECT_EQ(relayed, expected);
  EXPECT_EQ(bytes.Finish(OkStatus()).usage.completion_tokens, 89);
}

TEST(AnthropicStreamDecoderTest, AnErrorEventReachesTheClientAndFailsTheAttempt) {
  AnthropicStreamDecoder decoder = Decoder(false);
  std::string relayed = decoder.Feed(kStream.substr(0, kStream.find("event: content_block_start")));
  relayed += decoder.Feed(
      "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
      "\"message\":\"Overloaded\"}}\n\n");
  std::vector<std::string> events = Events(relayed);
  ASSERT_EQ(events.size(), 2u);
  json::object error = json::parse(events[1]).as_object()["error"].as_object();
  EXPECT_EQ(error["code"], "overloaded_error");
  EXPECT_EQ(error["message"], "Overloaded");
  Outcome outcome = decoder.Finish(OkStatus());
  EXPECT_EQ(outcome.verdict, Verdict::kFail);
  EXPECT_EQ(outcome.usage.prompt_tokens, 572);
}

TEST(AnthropicStreamDecoderTest, AStreamCutBeforeMessageStopFails) {
  AnthropicStreamDecoder decoder = Decoder(false);
  decoder.Feed(kStream.substr(0, 300));
  EXPECT_EQ(decoder.Finish(OkStatus()).verdict, Verdict::kFail);
  AnthropicStreamDecoder cut = Decoder(false);
  cut.Feed(kStream.substr(0, 300));
  EXPECT_EQ(cut.Finish(DeadlineExceededError("idle")).status.code(), StatusCode::kDeadlineExceeded);
}

}  // namespace
}  // namespace sluice::providers
