#include "tokens/request_estimate.h"

#include <simdjson.h>

namespace sluice::tokens {
namespace {

using simdjson::SUCCESS;
using simdjson::dom::element;

struct Text {
  std::int64_t characters = 0;
  std::int64_t token_ids = 0;
};

// Adds the text of a string, an array of strings / content parts, or token ids.
void AddText(element value, Text& text) {
  std::string_view s;
  if (value.get_string().get(s) == SUCCESS) {
    text.characters += CountCharacters(s);
    return;
  }
  if (value.is_int64() || value.is_uint64()) {
    ++text.token_ids;
    return;
  }
  simdjson::dom::array array;
  if (value.get_array().get(array) == SUCCESS) {
    for (element item : array) AddText(item, text);
    return;
  }
  simdjson::dom::object part;
  element inner;
  if (value.get_object().get(part) == SUCCESS && part["text"].get(inner) == SUCCESS) {
    AddText(inner, text);
  }
}

std::int64_t IntField(simdjson::dom::object object, std::string_view key, std::int64_t fallback) {
  std::int64_t value = 0;
  if (object[key].get_int64().get(value) == SUCCESS && value >= 0) return value;
  return fallback;
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
  Text text;
  element field;
  if (endpoint_url == "/v1/chat/completions") {
    simdjson::dom::array messages;
    if (object["messages"].get_array().get(messages) == SUCCESS) {
      for (element message : messages) {
        if (message["content"].get(field) == SUCCESS) AddText(field, text);
      }
    }
  } else if (object[endpoint_url == "/v1/embeddings" ? "input" : "prompt"].get(field) == SUCCESS) {
    AddText(field, text);
  }
  RequestEstimate estimate;
  estimate.prompt_tokens = (text.characters + 3) / 4 + text.token_ids;
  if (endpoint_url != "/v1/embeddings") {
    std::int64_t cap = IntField(object, "max_completion_tokens",
                                IntField(object, "max_tokens", options.default_max_output_tokens));
    estimate.max_output_tokens = IntField(object, "n", 1) * cap;
  }
  return estimate;
}

}  // namespace sluice::tokens
