#include "providers/from_messages/to_chat.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "providers/from_messages/validate.h"

namespace sluice::providers {
namespace {

namespace json = boost::json;

json::object Chat(std::string_view messages_body) {
  auto chat = ToChatRequest(messages_body);
  if (auto* refused = std::get_if<Refusal>(&chat)) {
    ADD_FAILURE() << refused->message;
    return {};
  }
  return json::parse(std::get<std::string>(chat)).as_object();
}

Refusal Refused(std::string_view messages_body) {
  auto chat = ToChatRequest(messages_body);
  if (auto* refused = std::get_if<Refusal>(&chat)) return *refused;
  ADD_FAILURE() << "translated: " << std::get<std::string>(chat);
  return {};
}

TEST(ToChatRequestTest, TranslatesSystemTurnsAndParameters) {
  json::object chat = Chat(R"({"model":"gpt-4o-mini","max_tokens":64,
    "system":[{"type":"text","text":"Be terse.","cache_control":{"type":"ephemeral"}}],
    "temperature":0.5,"top_p":0.9,"stop_sequences":["END"],"metadata":{"user_id":"u-1"},
    "stream":true,"service_tier":"auto",
    "messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":[
      {"type":"thinking","thinking":"hmm","signature":"s"},{"type":"text","text":"Hello."}]},
      {"role":"user","content":[{"type":"text","text":"Look:"},
       {"type":"image","source":{"type":"base64","media_type":"image/png","data":"QUJD"}},
       {"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}]})");
  EXPECT_EQ(json::serialize(chat.at("messages")),
            R"([{"role":"system","content":"Be terse."},{"role":"user","content":"Hi"},)"
            R"({"role":"assistant","content":"Hello."},{"role":"user","content":[)"
            R"({"type":"text","text":"Look:"},{"type":"image_url","image_url":)"
            R"({"url":"data:image/png;base64,QUJD"}},{"type":"image_url","image_url":)"
            R"({"url":"https://x/y.png"}}]}])");
  EXPECT_EQ(chat.at("model"), "gpt-4o-mini");
  EXPECT_EQ(chat.at("max_tokens"), 64);
  EXPECT_EQ(chat.at("temperature"), 0.5);
  EXPECT_EQ(chat.at("top_p"), 0.9);
  EXPECT_EQ(json::serialize(chat.at("stop")), R"(["END"])");
  EXPECT_EQ(chat.at("user"), "u-1");
  EXPECT_EQ(chat.at("stream"), true);
  EXPECT_EQ(json::serialize(chat.at("stream_options")), R"({"include_usage":true})");
}

TEST(ToChatRequestTest, TranslatesToolsCallsAndResults) {
  json::object chat = Chat(R"({"model":"m","max_tokens":8,
    "tools":[{"name":"weather","description":"Weather now","input_schema":{"type":"object"}}],
    "tool_choice":{"type":"tool","name":"weather","disable_parallel_tool_use":true},
    "messages":[{"role":"user","content":"Paris?"},
      {"role":"assistant","content":[{"type":"text","text":"Checking."},
        {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris"}}]},
      {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1",
        "content":[{"type":"text","text":"18C"}]},{"type":"text","text":"And now?"}]}]})");
  EXPECT_EQ(json::serialize(chat.at("tools")),
            R"([{"type":"function","function":{"name":"weather","description":"Weather now",)"
            R"("parameters":{"type":"object"}}}])");
  EXPECT_EQ(json::serialize(chat.at("tool_choice")),
            R"({"type":"function","function":{"name":"weather"}})");
  EXPECT_EQ(chat.at("parallel_tool_calls"), false);
  const json::array& messages = chat.at("messages").as_array();
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(
      json::serialize(messages[1]),
      R"({"role":"assistant","content":"Checking.","tool_calls":[{"id":"toolu_1",)"
      R"("type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}}]})");
  EXPECT_EQ(json::serialize(messages[2]),
            R"({"role":"tool","tool_call_id":"toolu_1","content":"18C"})");
  EXPECT_EQ(messages[3].at("role"), "user");
  EXPECT_EQ(Chat(R"({"model":"m","max_tokens":8,"tools":[{"name":"t","input_schema":{}}],
    "tool_choice":{"type":"any"},"messages":[]})")
                .at("tool_choice"),
            "required");
}

TEST(ToChatRequestTest, RefusesWhatOpenAiCannotExpressNamingTheField) {
  EXPECT_EQ(Refused(R"({"model":"m","max_tokens":8,"top_k":5,"messages":[]})").param, "top_k");
  EXPECT_EQ(Refused(R"({"model":"m","max_tokens":8,"thinking":{"type":"enabled",
    "budget_tokens":1024},"messages":[]})")
                .param,
            "thinking");
  EXPECT_EQ(Refused(R"({"model":"m","max_tokens":8,"stop_sequences":["a","b","c","d","e"],
    "messages":[]})")
                .param,
            "stop_sequences");
  EXPECT_EQ(Refused(R"({"model":"m","max_tokens":8,"mcp_servers":[],"messages":[]})").param,
            "mcp_servers");
  EXPECT_EQ(Refused(R"({"model":"m","max_tokens":8,"tools":[{"type":"web_search_20250305",
    "name":"web_search"}],"messages":[]})")
                .param,
            "tools.0.type");
  EXPECT_EQ(Refused(R"({"model":"m","max_tokens":8,"messages":[{"role":"user","content":[
    {"type":"document","source":{}}]}]})")
                .param,
            "messages.0.content.0.type");
  EXPECT_EQ(Refused(R"({"model":"m","max_tokens":8,"messages":[{"role":"user","content":[
    {"type":"tool_result","tool_use_id":"t","content":[{"type":"image","source":{}}]}]}]})")
                .param,
            "messages.0.content.0.content.0");
}

TEST(ValidateMessagesRequestTest, NamesTheFieldAnthropicWouldName) {
  auto problem = [](std::string_view body) {
    auto valid = ValidateMessagesRequest(json::parse(body).as_object());
    return std::holds_alternative<Refusal>(valid) ? std::get<Refusal>(valid).message : "";
  };
  EXPECT_EQ(problem(R"({"max_tokens":1,"messages":[]})"), "model: Field required");
  EXPECT_EQ(problem(R"({"model":"m","messages":[]})"), "max_tokens: Field required");
  EXPECT_EQ(problem(R"({"model":"m","max_tokens":"1","messages":[]})"),
            "max_tokens: Input should be a valid integer");
  EXPECT_EQ(problem(R"({"model":"m","max_tokens":0,"messages":[]})"),
            "max_tokens: Input should be greater than or equal to 1");
  EXPECT_EQ(problem(R"({"model":"m","max_tokens":1})"), "messages: Field required");
  EXPECT_EQ(problem(R"({"model":"m","max_tokens":1,"messages":{}})"),
            "messages: Input should be a valid list");
  EXPECT_EQ(problem(R"({"model":"m","max_tokens":1,"messages":[{"role":"system","content":""}]})"),
            "messages.0.role: Input should be 'user' or 'assistant'");
  EXPECT_EQ(problem(R"({"model":"m","max_tokens":1,"messages":[{"role":"user"}]})"),
            "messages.0.content: Field required");
  EXPECT_EQ(problem(R"({"model":"m","max_tokens":1,"stream":"yes","messages":[]})"),
            "stream: Input should be a valid boolean");
  auto head = ValidateMessagesRequest(
      json::parse(R"({"model":"m","max_tokens":1,"stream":true,"messages":[]})").as_object());
  ASSERT_TRUE(std::holds_alternative<MessagesRequestHead>(head));
  EXPECT_EQ(std::get<MessagesRequestHead>(head).model, "m");
  EXPECT_TRUE(std::get<MessagesRequestHead>(head).stream);
}

}  // namespace
}  // namespace sluice::providers
