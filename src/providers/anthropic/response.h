// The translation of Anthropic Messages answers into OpenAI's shapes (WIRE.md §5.4): a message
// into a chat.completion, its stop_reason into a finish_reason, its disjoint input counters into
// OpenAI's usage, an error envelope into OpenAI's error body. Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "batch/records.h"

namespace sluice::providers {

// Anthropic's usage counters; the three input ones are disjoint.
struct AnthropicUsage {
  std::int64_t input_tokens = 0;  // uncached input
  std::int64_t cache_creation_input_tokens = 0;
  std::int64_t cache_read_input_tokens = 0;
  std::int64_t output_tokens = 0;

  // Reads the counters present in `usage` (a Messages or message_delta usage object); the
  // others keep their value, as message_delta repeats only some.
  void Update(const boost::json::object& usage);
  // OpenAI's terms: prompt_tokens = all three input counters, cached_tokens = cache reads.
  batch::Usage ToUsage() const;
  // OpenAI's usage object, with prompt_tokens_details {cached_tokens, cache_write_tokens}.
  boost::json::object ToJson() const;
};

// A tool_use block {id, name, input} as OpenAI's tool call {id, type: "function", function:
// {name, arguments: the input as JSON text}}.
boost::json::object ToolCall(const boost::json::object& tool_use);

// end_turn, stop_sequence, pause_turn → stop; max_tokens, model_context_window_exceeded →
// length; tool_use → tool_calls; refusal → content_filter; anything else → stop.
std::string_view FinishReason(std::string_view stop_reason);

struct ChatCompletion {
  std::string body;  // the chat.completion JSON
  batch::Usage usage;
};

// The chat.completion for the Messages response `body` (text blocks joined, tool_use blocks as
// tool_calls, thinking dropped), stamped `created` (Unix seconds); nullopt when `body` is not a
// JSON object.
std::optional<ChatCompletion> ToChatCompletion(std::string_view body, std::int64_t created);

// OpenAI's error body for an Anthropic error answer of `status`: message and type from the
// envelope ({"type":"error","error":{"type","message"}}), code = the Anthropic type; a body
// that is no envelope becomes the message.
std::string ToOpenAiError(int status, std::string_view body);

}  // namespace sluice::providers
