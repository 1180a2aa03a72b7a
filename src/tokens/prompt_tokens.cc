#include "tokens/prompt_tokens.h"

#include "tokens/request_estimate.h"

namespace sluice::tokens {
namespace {

using simdjson::SUCCESS;
using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

constexpr std::string_view kChat = "/v1/chat/completions";
constexpr std::string_view kEmbeddings = "/v1/embeddings";

std::string_view StringOr(element value, std::string_view key, std::string_view fallback = {}) {
  std::string_view s;
  return value[key].get_string().get(s) == SUCCESS ? s : fallback;
}

// The text of a content part: a text (or refusal) part's text; a bare string is taken as text.
std::string_view PartText(element part) {
  std::string_view s;
  if (part.get_string().get(s) == SUCCESS) return s;
  return StringOr(part, "text", StringOr(part, "refusal"));
}

// A prompt or input: a string, token ids, or an array of either.
template <typename CountText>
std::int64_t CountPrompt(element value, const CountText& count_text) {
  std::string_view s;
  if (value.get_string().get(s) == SUCCESS) return count_text(s);
  if (value.is_int64() || value.is_uint64()) return 1;
  array items;
  std::int64_t total = 0;
  if (value.get_array().get(items) == SUCCESS) {
    for (element item : items) total += CountPrompt(item, count_text);
  }
  return total;
}

// A content array: text parts by their text, images by a fixed estimate.
std::int64_t ContentParts(array parts, const BpeEncoding& bpe) {
  std::int64_t tokens = 0;
  for (element part : parts) {
    std::string_view type = StringOr(part, "type");
    if (type == "image_url") {
      element image;
      bool low = part["image_url"].get(image) == SUCCESS && StringOr(image, "detail") == "low";
      tokens += low ? kLowDetailImageTokens : kImageTokens;
    } else {
      tokens += bpe.Count(PartText(part));
    }
  }
  return tokens;
}

std::int64_t FunctionCall(element call, const BpeEncoding& bpe) {
  return bpe.Count(StringOr(call, "name")) + bpe.Count(StringOr(call, "arguments")) +
         kTokensPerToolCall;
}

std::int64_t Message(object message, const BpeEncoding& bpe) {
  std::int64_t tokens = kTokensPerMessage;
  for (auto [key, value] : message) {
    std::string_view s;
    array items;
    if (value.get_string().get(s) == SUCCESS) {
      tokens += bpe.Count(s) + (key == "name" ? kTokensPerName : 0);
    } else if (key == "content" && value.get_array().get(items) == SUCCESS) {
      tokens += ContentParts(items, bpe);
    } else if (key == "tool_calls" && value.get_array().get(items) == SUCCESS) {
      for (element call : items) {
        element function;
        if (call["function"].get(function) == SUCCESS) tokens += FunctionCall(function, bpe);
      }
    } else if (key == "function_call" && value.is_object()) {
      tokens += FunctionCall(value, bpe);
    }
  }
  return tokens;
}

// Tool definitions reach the model rendered as text; their JSON is a close upper bound.
std::int64_t Tools(object body, const BpeEncoding& bpe) {
  std::int64_t tokens = 0;
  for (const char* key : {"tools", "functions"}) {
    array tools;
    if (body[key].get_array().get(tools) != SUCCESS || tools.size() == 0) continue;
    tokens += kToolsOverheadTokens;
    for (element tool : tools) tokens += bpe.Count(simdjson::minify(tool));
  }
  return tokens;
}

}  // namespace

std::int64_t ExactPromptTokens(std::string_view endpoint_url, object body,
                               const BpeEncoding& encoding) {
  auto count_text = [&](std::string_view s) { return encoding.Count(s); };
  element field;
  if (endpoint_url != kChat) {
    const char* key = endpoint_url == kEmbeddings ? "input" : "prompt";
    return body[key].get(field) == SUCCESS ? CountPrompt(field, count_text) : 0;
  }
  std::int64_t tokens = kReplyPrimingTokens + Tools(body, encoding);
  array messages;
  if (body["messages"].get_array().get(messages) == SUCCESS) {
    for (element message : messages) {
      object fields;
      if (message.get_object().get(fields) == SUCCESS) tokens += Message(fields, encoding);
    }
  }
  return tokens;
}

std::int64_t HeuristicPromptTokens(std::string_view endpoint_url, object body) {
  std::int64_t characters = 0;
  auto count_text = [&](std::string_view s) {
    characters += CountCharacters(s);
    return 0;
  };
  std::int64_t token_ids = 0;
  element field;
  if (endpoint_url != kChat) {
    const char* key = endpoint_url == kEmbeddings ? "input" : "prompt";
    if (body[key].get(field) == SUCCESS) token_ids = CountPrompt(field, count_text);
    return (characters + 3) / 4 + token_ids;
  }
  array messages;
  if (body["messages"].get_array().get(messages) == SUCCESS) {
    for (element message : messages) {
      element content;
      array parts;
      if (message["content"].get(content) != SUCCESS) continue;
      if (content.get_array().get(parts) != SUCCESS) {
        CountPrompt(content, count_text);
        continue;
      }
      for (element part : parts) count_text(PartText(part));
    }
  }
  return (characters + 3) / 4;
}

}  // namespace sluice::tokens
