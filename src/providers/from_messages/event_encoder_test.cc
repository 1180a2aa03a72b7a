#include "providers/from_messages/event_encoder.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <vector>

namespace sluice::providers {
namespace {

namespace json = boost::json;

// Passes OpenAI's chunks through, as the OpenAI provider's decoder does, and reports success.
class PassThrough final : public StreamDecoder {
 public:
  std::string Feed(std::string_view piece) override { return std::string(piece); }
  Outcome Finish(const Status& ended) override {
    Outcome outcome;
    outcome.verdict = ended.ok() ? Verdict::kSuccess : Verdict::kFail;
    outcome.status = ended;
    return outcome;
  }
};

std::string Chunk(std::string_view choices_and_usage) {
  return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt\"," +
         std::string(choices_and_usage) + "}\n\n";
}

// "type" of every event, and the events' data.
std::vector<json::object> Events(const std::string& sse) {
  std::vector<json::object> events;
  std::size_t at = 0;
  while ((at = sse.find("data: ", at)) != std::string::npos) {
    std::size_t end = sse.find('\n', at);
    events.push_back(json::parse(sse.substr(at + 6, end - at - 6)).as_object());
    at = end;
  }
  return events;
}

std::vector<std::string> Types(const std::vector<json::object>& events) {
  std::vector<std::string> types;
  for (const auto& e : events) types.emplace_back(e.at("type").as_string());
  return types;
}

TEST(MessagesEventEncoderTest, TurnsTextChunksIntoAnthropicsEvents) {
  MessagesEventEncoder encoder(std::make_unique<PassThrough>());
  std::string stream =
      Chunk(R"("choices":[{"index":0,"delta":{"role":"assistant","content":""}}],"usage":null)") +
      Chunk(R"("choices":[{"index":0,"delta":{"content":"Hel"}}],"usage":null)") +
      Chunk(R"("choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"length"}])") +
      Chunk(R"("choices":[],"usage":{"prompt_tokens":12,"completion_tokens":2})") +
      "data: [DONE]\n\n";
  std::string out;
  for (std::size_t at = 0; at < stream.size(); at += 5) out += encoder.Feed(stream.substr(at, 5));
  auto events = Events(out);
  EXPECT_EQ(Types(events),
            (std::vector<std::string>{"message_start", "content_block_start", "content_block_delta",
                                      "content_block_delta", "content_block_stop", "message_delta",
                                      "message_stop"}));
  EXPECT_NE(out.find("event: message_start\ndata: "), std::string::npos);
  EXPECT_EQ(events[0].at("message").at("id"), "chatcmpl-1");
  EXPECT_EQ(events[3].at("delta").at("text"), "lo");
  EXPECT_EQ(events[5].at("delta").at("stop_reason"), "max_tokens");
  EXPECT_EQ(events[5].at("usage").at("input_tokens"), 12);
  EXPECT_EQ(events[5].at("usage").at("output_tokens"), 2);
  EXPECT_EQ(encoder.Finish(OkStatus()).verdict, Verdict::kSuccess);
}

TEST(MessagesEventEncoderTest, ToolCallsBecomeToolUseBlocksWithInputJsonDeltas) {
  MessagesEventEncoder encoder(std::make_unique<PassThrough>());
  std::string out = encoder.Feed(
      Chunk(R"("choices":[{"index":0,"delta":{"content":"Checking."}}])") +
      Chunk(R"("choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1",)"
            R"("type":"function","function":{"name":"weather","arguments":""}}]}}])") +
      Chunk(R"("choices":[{"index":0,"delta":{"tool_calls":[{"index":0,)"
            R"("function":{"arguments":"{\"city\":"}}]}}])") +
      Chunk(R"("choices":[{"index":0,"delta":{"tool_calls":[{"index":0,)"
            R"("function":{"arguments":"\"Paris\"}"}}]},"finish_reason":"tool_calls"}])") +
      "data: [DONE]\n\n");
  auto events = Events(out);
  EXPECT_EQ(Types(events),
            (std::vector<std::string>{"message_start", "content_block_start", "content_block_delta",
                                      "content_block_stop", "content_block_start",
                                      "content_block_delta", "content_block_delta",
                                      "content_block_stop", "message_delta", "message_stop"}));
  EXPECT_EQ(json::serialize(events[4]),
            R"({"type":"content_block_start","index":1,"content_block":{"type":"tool_use",)"
            R"("id":"call_1","name":"weather","input":{}}})");
  EXPECT_EQ(events[5].at("delta").at("type"), "input_json_delta");
  EXPECT_EQ(std::string(events[5].at("delta").at("partial_json").as_string()) +
                std::string(events[6].at("delta").at("partial_json").as_string()),
            R"({"city":"Paris"})");
  EXPECT_EQ(events[8].at("delta").at("stop_reason"), "tool_use");
}

TEST(MessagesEventEncoderTest, AnUpstreamErrorBecomesAnErrorEvent) {
  MessagesEventEncoder encoder(std::make_unique<PassThrough>());
  std::string out =
      encoder.Feed(Chunk(R"("choices":[{"index":0,"delta":{"content":"Hi"}}])") +
                   "data: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}\n\n" +
                   Chunk(R"("choices":[{"index":0,"delta":{"content":"ignored"}}])"));
  auto events = Events(out);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(json::serialize(events.back()),
            R"({"type":"error","error":{"type":"api_error","message":"boom"}})");
  EXPECT_EQ(out.find("ignored"), std::string::npos);
}

}  // namespace
}  // namespace sluice::providers
