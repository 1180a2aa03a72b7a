// The translation of an Anthropic Messages request (a client of sluice's POST /v1/messages) into
// an OpenAI chat completions request, for deployments that speak OpenAI's API: `system` to a
// system message, content blocks to parts (text, images), tool_use / tool_result to tool calls
// and tool messages, tools and tool_choice, stop_sequences, sampling, max_tokens, and for a
// stream stream_options.include_usage (so the usage reaches the client's message_delta).
// What OpenAI cannot honour is refused, naming the field; only what changes nothing the model
// does is dropped (cache_control, service_tier, thinking blocks of earlier turns).
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "providers/provider.h"

namespace sluice::providers {

// The chat completions body for the Messages request `messages_body` (an object, checked by
// ValidateMessagesRequest), or the Refusal naming the field that has no OpenAI form.
std::variant<std::string, Refusal> ToChatRequest(std::string_view messages_body);

}  // namespace sluice::providers
