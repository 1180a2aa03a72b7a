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
  EXPECT_EQ(StopReason("stop"), "end_turn");
  EXPECT_EQ(StopReason("length"), "max_tokens");
  EXPECT_EQ(StopReason("tool_calls"), "tool_use");
  EXPECT_EQ(StopReason("content_filter"), "refusal");
  EXPECT_EQ(StopReason(""), "end_turn");
}

TEST(ToMessageTest, ErrorsTakeAnthropicsTypeForTheirStatus) {
  EXPECT_EQ(AnthropicErrorType(400), "invalid_request_error");
  EXPECT_EQ(AnthropicErrorType(401), "authentication_error");
  EXPECT_EQ(AnthropicErrorType(403), "permission_error");
  EXPECT_EQ(AnthropicErrorType(404), "not_found_error");
  EXPECT_EQ(AnthropicErrorType(405), "invalid_request_error");
  EXPECT_EQ(AnthropicErrorType(413), "request_too_large");
  EXPECT_EQ(AnthropicErrorType(429), "rate_limit_error");
  EXPECT_EQ(AnthropicErrorType(500), "api_error");
  EXPECT_EQ(AnthropicErrorType(502), "api_error");
  EXPECT_EQ(AnthropicErrorType(503), "overloaded_error");
  EXPECT_EQ(AnthropicErrorType(504), "timeout_error");
  EXPECT_EQ(AnthropicErrorType(529), "overloaded_error");
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
