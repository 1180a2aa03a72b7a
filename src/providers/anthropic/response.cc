#include "providers/anthropic/response.h"

#include <boost/json.hpp>

#include "http/message.h"
#include "providers/anthropic/json.h"

namespace sluice::providers {
namespace {

namespace json = boost::json;
using anthropic_json::StringAt;

void ReadCounter(const json::object& usage, std::string_view key, std::int64_t& counter) {
  const json::value* value = usage.if_contains(key);
  if (value != nullptr && value->is_int64()) counter = value->as_int64();
}

// The assistant message of a chat.completion from a Messages response's content blocks.
json::object AssistantMessage(const json::value* content) {
  std::string text;
  bool has_text = false;
  json::array tool_calls;
  if (content != nullptr && content->is_array()) {
    for (const json::value& block : content->as_array()) {
      if (!block.is_object()) continue;
      const json::object& b = block.as_object();
      std::string_view type = StringAt(b, "type");
      if (type == "text") {
        text += StringAt(b, "text");
        has_text = true;
      } else if (type == "tool_use") {
        tool_calls.push_back(ToolCall(b));
      }  // thinking and redacted_thinking blocks have no OpenAI form: dropped (WIRE.md §5.4)
    }
  }
  json::object message{{"role", "assistant"}, {"refusal", nullptr}};
  message["content"] = has_text ? json::value(text) : json::value(nullptr);
  if (!tool_calls.empty()) message["tool_calls"] = std::move(tool_calls);
  return message;
}

// A body that is no error envelope (a proxy's HTML page, "Bad Gateway") is relayed as the
// message when it is short printable ASCII; other bytes might not even be valid UTF-8, which
// would make the relayed JSON unreadable (found by fuzz/fuzz_upstream_answer).
constexpr std::size_t kMaxRelayedText = 1000;

bool IsPlainText(std::string_view body) {
  for (char c : body) {
    if ((c < 0x20 || c > 0x7e) && c != '\n' && c != '\r' && c != '\t') return false;
  }
  return true;
}

}  // namespace

json::object ToolCall(const json::object& tool_use) {
  const json::value* input = tool_use.if_contains("input");
  return {{"id", StringAt(tool_use, "id")},
          {"type", "function"},
          {"function",
           {{"name", StringAt(tool_use, "name")},
            {"arguments", input != nullptr ? json::serialize(*input) : std::string("{}")}}}};
}

void AnthropicUsage::Update(const json::object& usage) {
  ReadCounter(usage, "input_tokens", input_tokens);
  ReadCounter(usage, "cache_creation_input_tokens", cache_creation_input_tokens);
  ReadCounter(usage, "cache_read_input_tokens", cache_read_input_tokens);
  ReadCounter(usage, "output_tokens", output_tokens);
}

batch::Usage AnthropicUsage::ToUsage() const {
  batch::Usage usage;
  usage.prompt_tokens = input_tokens + cache_creation_input_tokens + cache_read_input_tokens;
  usage.cached_tokens = cache_read_input_tokens;
  usage.completion_tokens = output_tokens;
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  return usage;
}

json::object AnthropicUsage::ToJson() const {
  batch::Usage usage = ToUsage();
  return {{"prompt_tokens", usage.prompt_tokens},
          {"completion_tokens", usage.completion_tokens},
          {"total_tokens", usage.total_tokens},
          {"prompt_tokens_details",
           {{"cached_tokens", cache_read_input_tokens},
            {"cache_write_tokens", cache_creation_input_tokens}}},
          {"completion_tokens_details", {{"reasoning_tokens", 0}}}};
}

std::string_view FinishReason(std::string_view stop_reason) {
  if (stop_reason == "max_tokens" || stop_reason == "model_context_window_exceeded") {
    return "length";
  }
  if (stop_reason == "tool_use") return "tool_calls";
  if (stop_reason == "refusal") return "content_filter";
  return "stop";
}

std::optional<ChatCompletion> ToChatCompletion(std::string_view body, std::int64_t created) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) return std::nullopt;
  const json::object& message = parsed.as_object();
  AnthropicUsage usage;
  if (const json::value* u = message.if_contains("usage"); u != nullptr && u->is_object()) {
    usage.Update(u->as_object());
  }
  json::object choice{{"index", 0},
                      {"message", AssistantMessage(message.if_contains("content"))},
                      {"logprobs", nullptr},
                      {"finish_reason", FinishReason(StringAt(message, "stop_reason"))}};
  json::object completion{{"id", StringAt(message, "id")},
                          {"object", "chat.completion"},
                          {"created", created},
                          {"model", StringAt(message, "model")},
                          {"choices", json::array{std::move(choice)}},
                          {"usage", usage.ToJson()}};
  return ChatCompletion{json::serialize(completion), usage.ToUsage()};
}

std::string ToOpenAiError(int status, std::string_view body) {
  http::ApiError error;
  error.status = status;
  error.type = status >= 500 ? "server_error" : "invalid_request_error";
  if (IsPlainText(body)) error.message = std::string(body.substr(0, kMaxRelayedText));
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  const json::value* inner =
      !ec && parsed.is_object() ? parsed.as_object().if_contains("error") : nullptr;
  if (inner != nullptr && inner->is_object()) {
    std::string_view type = StringAt(inner->as_object(), "type");
    error.message = StringAt(inner->as_object(), "message");
    if (!type.empty()) {
      error.type = std::string(type);
      error.code = std::string(type);
    }
  }
  if (error.message.empty()) error.message = "upstream answered " + std::to_string(status);
  return http::ErrorBody(error);
}

}  // namespace sluice::providers
