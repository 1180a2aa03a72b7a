// MessagesRequest and its parser: the parts of an Anthropic Messages body (`POST /v1/messages`)
// the mock needs — model, output cap, streaming, prompt size, the prompt-cache prefix, a forced
// tool — validated with Anthropic's 400 wording ("max_tokens: Field required").
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace sluice::mock {

struct MessagesRequest {
  std::string model;
  std::int64_t max_tokens = 0;
  bool stream = false;
  // Characters (UTF-8 code points) of the prompt: system, every message's text, tool
  // definitions and tool inputs/results as JSON.
  std::int64_t prompt_chars = 0;
  // Characters up to and including the last block marked `cache_control` (0: no breakpoint),
  // and a hash of that prefix: two requests with the same prefix hit the same cache entry.
  std::int64_t cached_chars = 0;
  std::uint64_t cache_key = 0;
  // The text of the last user message, at most kMaxEchoBytes.
  std::string echo_text;
  // tool_choice {"type":"tool","name":…} (that tool) or {"type":"any"} (the first tool): the
  // answer is a tool_use block.
  std::optional<std::string> forced_tool;

  // ceil(chars / 4), as the mock counts tokens.
  std::int64_t InputTokens() const { return (prompt_chars + 3) / 4; }
  std::int64_t CacheablePrefixTokens() const { return (cached_chars + 3) / 4; }
};

// A parsed request, or the error to answer instead (400 invalid_request_error).
struct ParsedMessages {
  MessagesRequest request;
  std::optional<http::ApiError> error;  // type is Anthropic's error type
};

// Parses a Messages body. Never fails on input: every problem becomes a 400 with Anthropic's
// wording ("messages: Field required", "messages.0.role: Input should be 'user' or 'assistant'").
ParsedMessages ParseMessagesRequest(std::string_view body);

}  // namespace sluice::mock
