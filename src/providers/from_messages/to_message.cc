#include "providers/from_messages/to_message.h"

#include <boost/json.hpp>

#include "providers/anthropic/json.h"

namespace sluice::providers {
namespace {

namespace json = boost::json;
using anthropic_json::ObjectAt;
using anthropic_json::StringAt;

std::int64_t Count(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_int64() ? value->as_int64() : 0;
}

// A tool call's arguments as the tool_use block's input: the JSON object they encode, or {}
// when they encode none (a model's broken JSON).
json::value Input(std::string_view arguments) {
  boost::system::error_code ec;
  json::value parsed = json::parse(arguments, ec);
  if (ec || !parsed.is_object()) return json::object{};
  return parsed;
}

json::array ContentBlocks(const json::object& message) {
  json::array blocks;
  std::string_view text = StringAt(message, "content");
  if (!text.empty()) blocks.push_back(json::object{{"type", "text"}, {"text", text}});
  const json::value* calls = message.if_contains("tool_calls");
  if (calls == nullptr || !calls->is_array()) return blocks;
  for (const json::value& call : calls->as_array()) {
    if (!call.is_object()) continue;
    const json::object* function = ObjectAt(call.as_object(), "function");
    if (function == nullptr) continue;
    blocks.push_back(json::object{{"type", "tool_use"},
                                  {"id", StringAt(call.as_object(), "id")},
                                  {"name", StringAt(*function, "name")},
                                  {"input", Input(StringAt(*function, "arguments"))}});
  }
  return blocks;
}

}  // namespace

std::string_view StopReason(std::string_view finish_reason) {
  if (finish_reason == "length") return "max_tokens";
  if (finish_reason == "tool_calls" || finish_reason == "function_call") return "tool_use";
  if (finish_reason == "content_filter") return "refusal";
  return "end_turn";
}

json::object MessagesUsage(const json::object& openai_usage) {
  std::int64_t prompt = Count(openai_usage, "prompt_tokens");
  std::int64_t cached = 0, written = 0;
  if (const json::object* details = ObjectAt(openai_usage, "prompt_tokens_details")) {
    cached = Count(*details, "cached_tokens");
    written = Count(*details, "cache_write_tokens");
  }
  return {{"input_tokens", std::max<std::int64_t>(0, prompt - cached - written)},
          {"cache_creation_input_tokens", written},
          {"cache_read_input_tokens", cached},
          {"output_tokens", Count(openai_usage, "completion_tokens")}};
}

std::optional<std::string> ToMessage(std::string_view body) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) return std::nullopt;
  const json::object& completion = parsed.as_object();
  json::object choice;
  if (const json::value* choices = completion.if_contains("choices");
      choices != nullptr && choices->is_array() && !choices->as_array().empty() &&
      choices->as_array()[0].is_object()) {
    choice = choices->as_array()[0].as_object();
  }
  const json::object* message = ObjectAt(choice, "message");
  const json::object* usage = ObjectAt(completion, "usage");
  json::object out{{"id", StringAt(completion, "id")},
                   {"type", "message"},
                   {"role", "assistant"},
                   {"model", StringAt(completion, "model")},
                   {"content", message != nullptr ? ContentBlocks(*message) : json::array()},
                   {"stop_reason", StopReason(StringAt(choice, "finish_reason"))},
                   {"stop_sequence", nullptr},
                   {"usage", MessagesUsage(usage != nullptr ? *usage : json::object())}};
  return json::serialize(out);
}

std::string_view AnthropicErrorType(int status) {
  switch (status) {
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 503:
    case 529:
      return "overloaded_error";
    case 504:
      return "timeout_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

std::string AnthropicErrorBody(int status, std::string_view message, std::string_view request_id) {
  json::object body{{"type", "error"},
                    {"error", {{"type", AnthropicErrorType(status)}, {"message", message}}}};
  if (!request_id.empty()) body["request_id"] = request_id;
  return json::serialize(body);
}

std::string ToAnthropicError(int status, std::string_view openai_body) {
  boost::system::error_code ec;
  json::value parsed = json::parse(openai_body, ec);
  const json::object* error =
      !ec && parsed.is_object() ? ObjectAt(parsed.as_object(), "error") : nullptr;
  std::string message(error != nullptr ? StringAt(*error, "message") : "");
  if (message.empty()) message = "upstream answered " + std::to_string(status);
  return AnthropicErrorBody(status, message);
}

}  // namespace sluice::providers
