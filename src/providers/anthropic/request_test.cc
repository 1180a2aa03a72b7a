#include "providers/anthropic/request.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace sluice::providers {
namespace {

namespace json = boost::json;

json::object Translate(std::string_view chat) {
  auto translated = ToMessagesRequest(chat, {"claude-sonnet-4-5", 4096});
  if (auto* refused = std::get_if<Refusal>(&translated)) {
    ADD_FAILURE() << "refused: " << refused->message;
    return {};
  }
  return json::parse(std::get<std::string>(translated)).as_object();
}

Refusal Refused(std::string_view chat) {
  auto translated = ToMessagesRequest(chat, {"claude-sonnet-4-5", 4096});
  if (auto* refused = std::get_if<Refusal>(&translated)) return *refused;
  ADD_FAILURE() << "not refused: " << std::get<std::string>(translated);
  return {};
}

TEST(AnthropicRequestTest, LiftsSystemAndDeveloperMessagesAndSetsTheDeploymentModel) {
  json::object m = Translate(R"({"model":"claude","messages":[
    {"role":"system","content":"Be brief."},
    {"role":"developer","content":[{"type":"text","text":"Answer in French."}]},
    {"role":"user","content":"Capital of France?"}]})");
  EXPECT_EQ(m["model"], "claude-sonnet-4-5");
  EXPECT_EQ(m["system"], "Be brief.\n\nAnswer in French.");
  EXPECT_EQ(json::serialize(m["messages"]),
            R"([{"role":"user","content":[{"type":"text","text":"Capital of France?"}]}])");
}

TEST(AnthropicRequestTest, OutputCapIsMaxCompletionTokensThenMaxTokensThenTheDefault) {
  EXPECT_EQ(Translate(R"({"messages":[],"max_completion_tokens":50,"max_tokens":9})")["max_tokens"],
            50);
  EXPECT_EQ(Translate(R"({"messages":[],"max_tokens":9})")["max_tokens"], 9);
  EXPECT_EQ(Translate(R"({"messages":[]})")["max_tokens"], 4096);
  EXPECT_EQ(Refused(R"({"messages":[],"max_tokens":0})").param, "max_tokens");
}

TEST(AnthropicRequestTest, MapsSamplingStopAndUser) {
  json::object m = Translate(
      R"({"messages":[],"temperature":0.5,"top_p":0.9,"stop":"END","user":"u-1","n":1,
          "stream":true,"stream_options":{"include_usage":true},"logprobs":false,
          "presence_penalty":0})");
  EXPECT_EQ(m["temperature"], 0.5);
  EXPECT_EQ(m["top_p"], 0.9);
  EXPECT_EQ(json::serialize(m["stop_sequences"]), R"(["END"])");
  EXPECT_EQ(json::serialize(m["metadata"]), R"({"user_id":"u-1"})");
  EXPECT_EQ(m["stream"], true);
  EXPECT_FALSE(m.contains("stream_options"));
  EXPECT_EQ(json::serialize(Translate(R"({"messages":[],"stop":["a","b"]})")["stop_sequences"]),
            R"(["a","b"])");
}

TEST(AnthropicRequestTest, ImagesFromUrlsAndBase64DataUrls) {
  json::object m = Translate(R"({"messages":[{"role":"user","content":[
    {"type":"text","text":"What is this?"},
    {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}},
    {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0K"}}]}]})");
  const json::array& blocks = m["messages"].as_array()[0].as_object().at("content").as_array();
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(json::serialize(blocks[1]),
            R"({"type":"image","source":{"type":"url","url":"https://example.com/cat.png"}})");
  EXPECT_EQ(
      json::serialize(blocks[2]),
      R"({"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0K"}})");
  EXPECT_EQ(Refused(R"({"messages":[{"role":"user","content":[
    {"type":"image_url","image_url":{"url":"data:image/png,raw"}}]}]})")
                .param,
            "messages[0].content[0].image_url.url");
  EXPECT_EQ(Refused(R"({"messages":[{"role":"user","content":[
    {"type":"input_audio","input_audio":{}}]}]})")
                .param,
            "messages[0].content[0].type");
}

TEST(AnthropicRequestTest, ToolCallsAndConsecutiveToolResultsBecomeBlocksOfMergedTurns) {
  json::object m = Translate(R"({"messages":[
    {"role":"user","content":"Weather in Paris and Rome?"},
    {"role":"assistant","content":null,"tool_calls":[
      {"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}},
      {"id":"call_2","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Rome\"}"}}]},
    {"role":"tool","tool_call_id":"call_1","content":"18C"},
    {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"21C"}]}]})");
  const json::array& turns = m["messages"].as_array();
  ASSERT_EQ(turns.size(), 3u);
  EXPECT_EQ(json::serialize(turns[1]),
            R"({"role":"assistant","content":[)"
            R"({"type":"tool_use","id":"call_1","name":"weather","input":{"city":"Paris"}},)"
            R"({"type":"tool_use","id":"call_2","name":"weather","input":{"city":"Rome"}}]})");
  EXPECT_EQ(json::serialize(turns[2]),
            R"({"role":"user","content":[)"
            R"({"type":"tool_result","tool_use_id":"call_1","content":"18C"},)"
            R"({"type":"tool_result","tool_use_id":"call_2","content":"21C"}]})");
  EXPECT_EQ(Refused(R"({"messages":[{"role":"assistant","tool_calls":[
    {"id":"c","type":"function","function":{"name":"f","arguments":"not json"}}]}]})")
                .param,
            "messages[0].tool_calls[0].function.arguments");
}

TEST(AnthropicRequestTest, EmptyTextAndEmptyTurnsAreNotSent) {
  json::object m = Translate(R"({"messages":[
    {"role":"user","content":[{"type":"text","text":""},{"type":"text","text":"hi"}]},
    {"role":"assistant","content":""}]})");
  EXPECT_EQ(json::serialize(m["messages"]),
            R"([{"role":"user","content":[{"type":"text","text":"hi"}]}])");
}

TEST(AnthropicRequestTest, ToolsAndToolChoice) {
  json::object m = Translate(R"({"messages":[],"tools":[{"type":"function","function":{
    "name":"weather","description":"Current weather","parameters":{"type":"object",
    "properties":{"city":{"type":"string"}}}}}],"tool_choice":"required",
    "parallel_tool_calls":false})");
  EXPECT_EQ(json::serialize(m["tools"]),
            R"([{"name":"weather","description":"Current weather","input_schema":)"
            R"({"type":"object","properties":{"city":{"type":"string"}}}}])");
  EXPECT_EQ(json::serialize(m["tool_choice"]),
            R"({"type":"any","disable_parallel_tool_use":true})");
  auto choice = [](std::string_view c) {
    return json::serialize(Translate(std::string(R"({"messages":[],"tool_choice":)") +
                                     std::string(c) + "}")["tool_choice"]);
  };
  EXPECT_EQ(choice(R"("auto")"), R"({"type":"auto"})");
  EXPECT_EQ(choice(R"("none")"), R"({"type":"none"})");
  EXPECT_EQ(choice(R"({"type":"function","function":{"name":"weather"}})"),
            R"({"type":"tool","name":"weather"})");
  EXPECT_EQ(Refused(R"({"messages":[],"tools":[{"type":"custom"}]})").param, "tools[0].type");
}

TEST(AnthropicRequestTest, RefusesWhatAnthropicCannotHonourNamingTheParameter) {
  EXPECT_EQ(Refused(R"({"messages":[],"n":2})").param, "n");
  EXPECT_EQ(Refused(R"({"messages":[],"logprobs":true})").param, "logprobs");
  EXPECT_EQ(Refused(R"({"messages":[],"top_logprobs":3})").param, "top_logprobs");
  EXPECT_EQ(Refused(R"({"messages":[],"temperature":1.5})").param, "temperature");
  EXPECT_EQ(Refused(R"({"messages":[],"seed":7})").param, "seed");
  EXPECT_EQ(Refused(R"({"messages":[],"frequency_penalty":0.5})").param, "frequency_penalty");
  EXPECT_EQ(Refused(R"({"messages":[{"role":"function","content":"x"}]})").param,
            "messages[0].role");
  Refusal format = Refused(R"({"messages":[],"response_format":{"type":"json_object"}})");
  EXPECT_EQ(format.param, "response_format");
  EXPECT_NE(format.message.find("JSON"), std::string::npos);
  Translate(R"({"messages":[],"response_format":{"type":"text"}})");
}

}  // namespace
}  // namespace sluice::providers
