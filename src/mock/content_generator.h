// Deterministic model output for the mock: completion text that names the request it answers
// ("mock:<body hash>" followed by the last user message's words and seeded filler) and embedding
// vectors, all a pure function of (seed, request). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::mock {

struct GenerationInput {
  std::uint64_t seed = 0;
  std::uint64_t body_hash = 0;             // BodyHash of the whole request body
  std::int64_t choice = 0;                 // index among n choices
  std::string_view echo;                   // words to repeat after the marker (last user message)
  std::optional<std::int64_t> max_tokens;  // cap on generated tokens; nullopt: natural length
};

struct GeneratedText {
  // Tokens joined: the first is "mock:<16 hex>", each later one is " <word>".
  std::string text;
  std::int64_t tokens = 0;
  bool truncated = false;  // stopped by max_tokens: finish_reason "length" (else "stop")
};

// The answer's natural length is 1 (marker) + up to 32 echoed words + 0..23 seeded filler words,
// cut to max_tokens.
GeneratedText GenerateText(const GenerationInput& input);

// A generated text's tokens, as a stream sends them: the marker, then each " word".
std::vector<std::string_view> SplitTokens(std::string_view text);

// The marker every generated text starts with: "mock:" + HashHex(body_hash).
std::string Marker(std::uint64_t body_hash);

// A unit-length vector of `dimensions` floats determined by (seed, input_hash).
std::vector<float> GenerateEmbedding(std::uint64_t seed, std::uint64_t input_hash,
                                     std::int64_t dimensions);

// Standard base64 (with padding) of the vector's little-endian float32 bytes, as OpenAI sends for
// encoding_format "base64".
std::string EmbeddingBase64(const std::vector<float>& vector);

}  // namespace sluice::mock
