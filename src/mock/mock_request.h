// MockRequest and its parsers: the parts of an OpenAI request body the mock needs (model, prompt
// size, output cap, n, streaming, what to echo), validated with OpenAI's 400 messages.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace sluice::mock {

enum class Endpoint { kChatCompletions, kCompletions, kEmbeddings };

struct MockRequest {
  Endpoint endpoint = Endpoint::kChatCompletions;
  std::string model;
  // Characters (UTF-8 code points) of the prompt text: every message's text content, the
  // completion prompt(s) or the embedding input(s).
  std::int64_t prompt_chars = 0;
  // Token ids given directly (token-array prompts or inputs); each counts as one token.
  std::int64_t prompt_token_ids = 0;
  std::optional<std::int64_t> max_tokens;  // max_completion_tokens, else max_tokens
  std::int64_t n = 1;
  bool stream = false;
  bool include_usage = false;  // stream_options.include_usage
  // Chat: the text of the last user message; completions: the first prompt. At most
  // kMaxEchoBytes, cut at a character boundary.
  std::string echo_text;
  // Embeddings: one hash per input (seeds its vector), in input order.
  std::vector<std::uint64_t> input_hashes;
  std::optional<std::int64_t> dimensions;
  bool base64 = false;  // encoding_format: "base64"
  // Chat: the prompt's block-aligned prefixes (prefix_cache.h), and how many of its tokens the
  // prompt cache served (set by MockApi when it answers).
  std::vector<std::uint64_t> prefix_blocks;
  std::int64_t cached_tokens = 0;

  // The admission estimate of the prompt: ceil(prompt_chars / 4) + prompt_token_ids.
  std::int64_t PromptTokens() const;
  // What the rate limiter charges: PromptTokens() + n * (max_tokens or `default_max_tokens`);
  // embeddings charge the prompt only.
  std::int64_t AdmissionCost(std::int64_t default_max_tokens) const;
};

inline constexpr std::size_t kMaxEchoBytes = 256;

// A parsed request, or the 400 to answer instead (error set; request then meaningless).
struct ParsedRequest {
  MockRequest request;
  std::optional<http::ApiError> error;
};

// Parses a body for `endpoint`. Never fails on input: every problem becomes a 400 ApiError with
// OpenAI's wording, param and code (invalid JSON, missing model/messages/prompt/input, wrong types,
// values out of range).
ParsedRequest ParseMockRequest(Endpoint endpoint, std::string_view body);

// The generation endpoint served at `path` ("/v1/chat/completions", "/v1/completions",
// "/v1/embeddings"); nullopt for any other path.
std::optional<Endpoint> EndpointOfPath(std::string_view path);

// Number of UTF-8 code points in `text` (bytes that are not continuation bytes).
std::int64_t CountCharacters(std::string_view text);

}  // namespace sluice::mock
