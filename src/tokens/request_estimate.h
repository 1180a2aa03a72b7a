// Token estimates of a request before it is sent: what a provider will charge against its
// tokens-per-minute limit at admission (prompt + n × output cap). This is the character
// heuristic OpenAI documents (about 4 characters a token); exact BPE counting replaces the
// prompt part when the vocabularies are present. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace sluice::tokens {

struct EstimateOptions {
  // The output cap assumed when a request sets neither max_completion_tokens nor max_tokens.
  std::int64_t default_max_output_tokens = 16;
};

struct RequestEstimate {
  std::int64_t prompt_tokens = 0;
  std::int64_t max_output_tokens = 0;  // n × the output cap; 0 for embeddings
  std::int64_t total() const { return prompt_tokens + max_output_tokens; }
};

// Estimates a request body for `endpoint_url` ("/v1/chat/completions", "/v1/completions",
// "/v1/embeddings"): ceil(characters / 4) of the text the model reads (message contents, prompt,
// input; a token id given directly counts one), plus n × the output cap. kInvalidArgument when
// the body is not a JSON object.
Result<RequestEstimate> EstimateRequest(std::string_view endpoint_url, std::string_view body,
                                        const EstimateOptions& options);

// UTF-8 code points in `text`.
std::int64_t CountCharacters(std::string_view text);

}  // namespace sluice::tokens
