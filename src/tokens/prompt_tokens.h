// The prompt tokens of a parsed request body, two ways: exactly, with the model's encoding and
// OpenAI's chat framing, or by the character heuristic for models of no known encoding.
// Internal to tokens/ (EstimateRequest is the public entry). Pure; thread-safe.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string_view>

#include "tokens/bpe_encoding.h"

namespace sluice::tokens {

// OpenAI's chat format costs per message, as its cookbook counts them for every model since
// gpt-3.5-turbo-0613: 3 tokens framing each message, 1 more for a "name", 3 priming the reply.
inline constexpr std::int64_t kTokensPerMessage = 3;
inline constexpr std::int64_t kTokensPerName = 1;
inline constexpr std::int64_t kReplyPrimingTokens = 3;
// Approximations (OpenAI documents no exact rule for these; see docs/tokens.md):
inline constexpr std::int64_t kTokensPerToolCall = 3;      // framing of a tool call in a message
inline constexpr std::int64_t kToolsOverheadTokens = 9;    // framing of the tool definitions
inline constexpr std::int64_t kLowDetailImageTokens = 85;  // an image_url part, detail "low"
inline constexpr std::int64_t kImageTokens = 765;          // any other image: 1024×1024, high

// chat: the formula above over every message's string fields (role, content, name, ...), text
// parts of content arrays, images, tool calls; plus the tools or functions as JSON text.
// completions: the prompt; embeddings: the input (strings, or token ids counting one each).
std::int64_t ExactPromptTokens(std::string_view endpoint_url, simdjson::dom::object body,
                               const BpeEncoding& encoding);

// ceil(characters / 4) of the text the model reads (message contents, prompt, input) plus one per
// token id given directly: OpenAI's rule of thumb, with no framing.
std::int64_t HeuristicPromptTokens(std::string_view endpoint_url, simdjson::dom::object body);

}  // namespace sluice::tokens
