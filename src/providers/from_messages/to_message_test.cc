#include "providers/from_messages/to_message.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace sluice::providers {
namespace {

namespace json = boost::json;

TEST(ToMessageTest, TranslatesTextToolCallsStopReasonAndUsage) {
  auto message =
      ToMessage(R"({"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o-mini","choices":[)"
                R"({"index":0,"message":{"role":"assistant","content":"Checking.","tool_calls":[)"
                R"({"id":"call_1","type":"function","function":{"name":"weather",)"
                R"("arguments":"{\"city\":\"Paris\"}"}}]},"finish_reason":"tool_calls"}],)"
                R"("usage":{"prompt_tokens":120,"completion_tokens":9,"total_tokens":129,)"
                R"("prompt_tokens_details":{"cached_tokens":100}}})");
  ASSERT_TRUE(message);
  EXPECT_EQ(*message,
            R"({"id":"chatcmpl-1","type":"message","role":"assistant","model":"gpt-4o-mini",)"
            R"("content":[{"type":"text","text":"Checking."},{"type":"tool_use","id":"call_1",)"
            R"("name":"weather","input":{"city":"Paris"}}],"stop_reason":"tool_use",)"
            R"("stop_sequence":null,"usage":{"input_tokens":20,"cache_creation_input_tokens":0,)"
            R"("cache_read_input_tokens":100,"output_tokens":9}})");
  EXPECT_FALSE(ToMessage("not json"));
}

TEST(ToMessageTest, MapsFinishReasons) {
  const std::pair<std::string_view, std::string_view> kReasons[] = {
      {"stop", "end_turn"},          {"length", "max_tokens"},      {"tool_calls", "tool_use"},
      {"function_call", "tool_use"}, {"content_filter", "refusal"}, {"", "end_turn"}};
  for (const auto& [finish, stop] : kReasons) EXPECT_EQ(StopReason(finish), stop) << finish;
}

TEST(ToMessageTest, ErrorsTakeAnthropicsTypeForTheirStatus) {
  const std::pair<int, std::string_view> kTypes[] = {{400, "invalid_request_error"},
                                                     {401, "authentication_error"},
                                                     {403, "permission_error"},
                                                     {404, "not_found_error"},
                                                     {405, "invalid_request_error"},
                                                     {413, "request_too_large"},
                                                     {429, "rate_limit_error"},
                                                     {500, "api_error"},
                                                     {502, "api_error"},
                                                     {503, "overloaded_error"},
                                                     {504, "timeout_error"},
                                                     {529, "overloaded_error"}};
  for (const auto& [status, type] : kTypes) EXPECT_EQ(AnthropicErrorType(status), type) << status;
  EXPECT_EQ(ToAnthropicError(429, R"({"error":{"message":"slow down","type":"requests"}})"),
            R"({"type":"error","error":{"type":"rate_limit_error","message":"slow down"}})");
  EXPECT_EQ(ToAnthropicError(502, "<html>"),
            R"({"type":"error","error":{"type":"api_error","message":"upstream answered 502"}})");
  EXPECT_EQ(AnthropicErrorBody(404, "no", "req_1"),
            R"({"type":"error","error":{"type":"not_found_error","message":"no"},)"
            R"("request_id":"req_1"})");
}

}  // namespace
}  // namespace sluice::providers
