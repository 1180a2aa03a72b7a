#include "tokens/request_estimate.h"

#include <simdjson.h>

#include "tokens/prompt_tokens.h"
#include "tokens/tokenizers.h"

namespace sluice::tokens {
namespace {

using simdjson::SUCCESS;

std::int64_t IntField(simdjson::dom::object object, std::string_view key, std::int64_t fallback) {
  std::int64_t value = 0;
  if (object[key].get_int64().get(value) == SUCCESS && value >= 0) return value;
  return fallback;
}

const BpeEncoding* EncodingOf(simdjson::dom::object body, const EstimateOptions& options) {
  std::string_view model;
  if (options.tokenizers == nullptr || body["model"].get_string().get(model) != SUCCESS) {
    return nullptr;
  }
  if (options.counted_as) {
    if (auto alias = options.counted_as->find(model); alias != options.counted_as->end()) {
      model = alias->second;
    }
  }
  return options.tokenizers->ForModel(model);
}

}  // namespace

std::int64_t CountCharacters(std::string_view text) {
  std::int64_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

Result<RequestEstimate> EstimateRequest(std::string_view endpoint_url, std::string_view body,
                                        const EstimateOptions& options) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(body.data(), body.size()).get_object().get(object) != SUCCESS) {
    return InvalidArgumentError("request body is not a JSON object");
  }
  RequestEstimate estimate;
  if (const BpeEncoding* encoding = EncodingOf(object, options)) {
    estimate.prompt_tokens = ExactPromptTokens(endpoint_url, object, *encoding);
    estimate.exact = true;
  } else {
    estimate.prompt_tokens = HeuristicPromptTokens(endpoint_url, object);
  }
  if (endpoint_url != "/v1/embeddings") {
    std::int64_t cap = IntField(object, "max_completion_tokens",
                                IntField(object, "max_tokens", options.default_max_output_tokens));
    estimate.max_output_tokens = IntField(object, "n", 1) * cap;
  }
  return estimate;
}

}  // namespace sluice::tokens
