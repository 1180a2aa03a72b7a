// The translation of OpenAI answers back into Anthropic's shapes for clients of sluice's
// POST /v1/messages served by an OpenAI-shaped deployment: a chat.completion into a message
// (text and tool_use blocks, stop_reason, Anthropic's disjoint usage counters), an OpenAI error
// into Anthropic's envelope with the error type Anthropic uses for the status.
// Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::providers {

// stop → end_turn, length → max_tokens, tool_calls / function_call → tool_use,
// content_filter → refusal; anything else → end_turn.
std::string_view StopReason(std::string_view finish_reason);

// Anthropic's usage for OpenAI's `usage` object: cached prompt tokens are cache reads, OpenAI's
// prompt_tokens_details.cache_write_tokens (sluice's own extension) cache writes, the rest of
// prompt_tokens uncached input; completion_tokens are output.
boost::json::object MessagesUsage(const boost::json::object& openai_usage);

// The message for the chat.completion `body` (its first choice); nullopt when `body` is not a
// JSON object.
std::optional<std::string> ToMessage(std::string_view body);

// Anthropic's error type for an HTTP status (docs.anthropic.com/en/api/errors): 400 and other
// 4xx invalid_request_error, 401 authentication_error, 402 billing_error, 403 permission_error,
// 404 not_found_error, 413 request_too_large, 429 rate_limit_error, 503 and 529
// overloaded_error, 504 timeout_error, other 5xx api_error.
std::string_view AnthropicErrorType(int status);

// {"type":"error","error":{"type":<for status>,"message":...}} plus "request_id" when given.
std::string AnthropicErrorBody(int status, std::string_view message,
                               std::string_view request_id = {});

// Anthropic's envelope for an OpenAI error answer of `status` (its error.message kept); a body
// that is no OpenAI error becomes "upstream answered <status>".
std::string ToAnthropicError(int status, std::string_view openai_body);

}  // namespace sluice::providers
