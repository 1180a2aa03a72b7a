// MockOptions: how a MockProvider behaves (address, seed, rate limits, latency, faults, auth),
// and their validation. Plain values; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"

namespace sluice::mock {

// Probability (0..1) that an admitted request ends in each fault instead of a normal answer.
// The rates are exclusive outcomes of one draw, so their sum must not exceed 1.
struct FaultRates {
  double http_500 = 0;   // 500 with OpenAI's server_error body
  double http_503 = 0;   // 503 "overloaded" body
  double reset = 0;      // the response (or stream) starts, then the connection is reset
  double hang = 0;       // never answered; held open until the client leaves or Drain()
  double malformed = 0;  // status 200 with a body that is not valid JSON
};

// The providers' own batch APIs (OpenAI's Files + Batches, Anthropic's Message Batches): how
// long a batch takes, and what goes wrong with it. Each rate is drawn per batch (per line for
// `expire`) from the seed.
struct BatchFaultOptions {
  // A batch ends once both have passed since it was created: this much time, and this many
  // polls of it (GETs of the batch). Polls let tests run without waiting on the wall clock.
  Duration turnaround{0};
  std::int64_t polls = 1;
  Duration window = std::chrono::hours(24);  // created_at -> expires_at
  double expire = 0;           // a line comes back expired (its batch ends `expired`)
  double fail_validation = 0;  // the batch fails validation (OpenAI) / every line errors
  double malformed_output = 0;  // the output (results) file is not JSONL
  double never_finish = 0;     // the batch stays in progress until its window passes
  double vanish = 0;           // after its creation the batch id is unknown (404)
};

struct MockOptions {
  std::string host = "127.0.0.1";  // address to bind
  std::uint16_t port = 0;          // 0: any free port (see port())
  std::uint64_t seed = 42;         // drives generated text, ids, jitter and fault draws
  std::int64_t rpm = 0;            // requests per minute per API key; 0 = unlimited
  std::int64_t tpm = 0;            // tokens per minute per API key; 0 = unlimited
  // Anthropic's /v1/messages: input and output tokens per minute per key (rpm applies too).
  std::int64_t itpm = 0;
  std::int64_t otpm = 0;
  Duration time_to_first_byte{0};     // before the response head (or first chunk)
  Duration time_per_output_token{0};  // added per generated token; spread over stream chunks
  double latency_jitter = 0;          // each delay is scaled by 1 ± up to this fraction (0..1)
  FaultRates faults;
  std::optional<std::string> required_api_key;  // set: any other bearer token gets 401
  // Token charge for a chat/completions request that sets neither max_tokens nor
  // max_completion_tokens (OpenAI's reference throttler uses 15; we default to 16).
  std::int64_t default_max_tokens = 16;
  // Every model's context window in tokens (prompt estimate + output cap); a request past it gets
  // OpenAI's 400 context_length_exceeded (Anthropic's "prompt is too long" on /v1/messages).
  // 0: no window.
  std::int64_t context_window = 0;
  // Embedding vector length when the request sets no `dimensions` (text-embedding-3-small: 1536).
  std::int64_t embedding_dimensions = 1536;
  // false: answers leave out x-ratelimit-limit-* (as some OpenAI-compatible servers do), so a
  // client must infer the limits from remaining/reset and 429s.
  bool state_limits = true;
  // Keep one RequestLog line per generation request, served at GET /mock/requests.
  bool record_requests = false;
  // true: JSON bodies (answers and errors) are indented as OpenAI sends them (IndentJson);
  // false: compact, one line. Stream chunks are one line either way, as OpenAI's are.
  bool indent_json = true;
  // The OpenAI prompt cache (prefix_cache.h): how long a prefix stays after its last use (OpenAI:
  // 5 to 10 minutes without use), and how many 128-token prefix blocks it holds (0: unbounded).
  Duration prompt_cache_ttl = std::chrono::minutes(5);
  std::int64_t prompt_cache_blocks = 0;
  BatchFaultOptions batches;
};

// Checks every field at once. kInvalidArgument listing each problem ("rpm must be >= 0 (got -1);
// faults.hang must be within 0..1 (got 2)"), or OK.
Status ValidateMockOptions(const MockOptions& options);

}  // namespace sluice::mock
