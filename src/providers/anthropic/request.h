// The translation of an OpenAI chat completions request into an Anthropic Messages request
// (WIRE.md §5.4, docs/providers.md): system and developer messages lifted to `system`, tool
// calls and results as tool_use / tool_result blocks, images as image blocks, sampling and
// tools mapped. What Anthropic cannot honour is refused, naming the parameter, never dropped.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "providers/provider.h"

namespace sluice::providers {

struct MessagesRequestOptions {
  std::string model;                       // the deployment's model name, sent as `model`
  std::int64_t default_max_tokens = 4096;  // when the request states no output cap
};

// The Messages request body for the chat completions `chat_body`, or the Refusal of it.
std::variant<std::string, Refusal> ToMessagesRequest(std::string_view chat_body,
                                                     const MessagesRequestOptions& options);

}  // namespace sluice::providers
