// Token estimates of a request before it is sent: what a provider will charge against its
// tokens-per-minute limit at admission (prompt + n × output cap). The prompt is counted exactly
// when the body's model (or the model it is counted_as) maps to a loaded encoding (see
// model_encoding.h, tokenizers.h), with OpenAI's chat framing; otherwise by the character
// heuristic (about 4 characters a token).
// Pure; thread-safe. Exact counting is CPU work (tens of MB/s): callers keep big bodies off
// event loops (the serve path calls this from its worker thread).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sluice::tokens {

class Tokenizers;

struct EstimateOptions {
  // The output cap assumed when a request sets neither max_completion_tokens nor max_tokens.
  std::int64_t default_max_output_tokens = 16;
  // The loaded encodings (not owned; must outlive the calls). nullptr: the heuristic for all.
  const Tokenizers* tokenizers = nullptr;
  // Client model names whose requests are counted as another model's: an alias ("fast") to the
  // provider model of its deployment ("gpt-4o-mini"). A name not in it is counted as itself.
  std::shared_ptr<const std::map<std::string, std::string, std::less<>>> counted_as;
};

struct RequestEstimate {
  std::int64_t prompt_tokens = 0;
  std::int64_t max_output_tokens = 0;  // n × the output cap; 0 for embeddings
  bool exact = false;                  // prompt_tokens counted with the model's encoding
  std::int64_t total() const { return prompt_tokens + max_output_tokens; }
  bool operator==(const RequestEstimate&) const = default;
};

// Estimates a request body for `endpoint_url` ("/v1/chat/completions", "/v1/completions",
// "/v1/embeddings"): the prompt tokens (see prompt_tokens.h for what is counted and how), plus
// n × the output cap (max_completion_tokens, else max_tokens, else the default) except for
// embeddings. kInvalidArgument when the body is not a JSON object.
Result<RequestEstimate> EstimateRequest(std::string_view endpoint_url, std::string_view body,
                                        const EstimateOptions& options);

// UTF-8 code points in `text`.
std::int64_t CountCharacters(std::string_view text);

}  // namespace sluice::tokens
