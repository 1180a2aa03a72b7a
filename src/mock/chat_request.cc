// Parsing of POST /v1/chat/completions bodies: messages, output caps, n and streaming options.
#include <fmt/format.h>

#include <boost/json/object.hpp>

#include "mock/prefix_cache.h"
#include "mock/request_checks.h"

namespace sluice::mock {
namespace {

namespace json = boost::json;

// Chat: counts a message's text content, which may be a string, an array of parts or null.
Check ReadContent(const json::value& content, std::size_t i, std::int64_t& chars,
                  std::string_view& text) {
  if (content.is_null()) return std::nullopt;
  if (content.is_string()) {
    text = content.as_string();
    chars += CountCharacters(text);
    return std::nullopt;
  }
  std::string param = fmt::format("messages[{}].content", i);
  if (!content.is_array()) {
    return InvalidType(param, "one of a string or array of objects", content);
  }
  for (const json::value& part : content.as_array()) {
    if (!part.is_object()) return InvalidType(param, "one of a string or array of objects", part);
    const json::value* t = part.as_object().if_contains("text");
    if (t != nullptr && t->is_string()) {
      text = t->as_string();
      chars += CountCharacters(text);
    }
  }
  return std::nullopt;
}

bool IsKnownRole(std::string_view role) {
  return role == "system" || role == "user" || role == "assistant" || role == "tool" ||
         role == "developer" || role == "function";
}

Check ReadMessage(const json::value& m, std::size_t i, MockRequest& r) {
  std::string param = fmt::format("messages[{}]", i);
  if (!m.is_object()) return InvalidType(param, "an object", m);
  const json::object& msg = m.as_object();
  const json::value* role = msg.if_contains("role");
  if (role == nullptr) return Missing(param + ".role");
  if (!role->is_string()) return InvalidType(param + ".role", "a string", *role);
  if (!IsKnownRole(role->as_string())) {
    return BadRequest(fmt::format("Invalid value: '{}'. Supported values are: 'system', "
                                  "'assistant', 'user', 'function', 'tool', and 'developer'.",
                                  std::string_view(role->as_string())),
                      param + ".role", "invalid_value");
  }
  const json::value* content = msg.if_contains("content");
  if (content == nullptr && role->as_string() != "assistant") return Missing(param + ".content");
  std::string_view text;
  if (content != nullptr) {
    if (Check e = ReadContent(*content, i, r.prompt_chars, text)) return e;
  }
  if (role->as_string() == "user") r.echo_text = EchoPrefix(text);
  return std::nullopt;
}

}  // namespace

Check ReadStreaming(const json::object& body, MockRequest& r) {
  const json::value* stream = body.if_contains("stream");
  if (stream != nullptr && !stream->is_null()) {
    if (!stream->is_bool()) return InvalidType("stream", "a boolean", *stream);
    r.stream = stream->as_bool();
  }
  const json::value* options = body.if_contains("stream_options");
  if (options == nullptr || options->is_null()) return std::nullopt;
  if (!r.stream) {
    return BadRequest("The 'stream_options' parameter is only allowed when 'stream' is enabled.",
                      "stream_options", "invalid_value");
  }
  if (!options->is_object()) return InvalidType("stream_options", "an object", *options);
  const json::value* usage = options->as_object().if_contains("include_usage");
  if (usage != nullptr && !usage->is_null()) {
    if (!usage->is_bool()) return InvalidType("stream_options.include_usage", "a boolean", *usage);
    r.include_usage = usage->as_bool();
  }
  return std::nullopt;
}

Check ReadOutputControls(const json::object& body, MockRequest& r) {
  std::optional<std::int64_t> n;
  if (Check e = ReadBoundedInt(body, "n", 1, 128, n)) return e;
  r.n = n.value_or(1);
  std::optional<std::int64_t> max_tokens;
  if (Check e = ReadBoundedInt(body, "max_tokens", 1, INT32_MAX, max_tokens)) return e;
  std::optional<std::int64_t> max_completion;
  if (Check e = ReadBoundedInt(body, "max_completion_tokens", 1, INT32_MAX, max_completion)) {
    return e;
  }
  r.max_tokens = max_completion ? max_completion : max_tokens;
  return ReadStreaming(body, r);
}

Check ReadChat(const json::object& body, MockRequest& r) {
  if (Check e = ReadModel(body, r)) return e;
  const json::value* messages = body.if_contains("messages");
  if (messages == nullptr) return Missing("messages");
  if (!messages->is_array()) return InvalidType("messages", "an array of objects", *messages);
  if (messages->as_array().empty()) {
    return BadRequest(
        "Invalid 'messages': empty array. Expected an array with minimum length 1, "
        "but got an empty array instead.",
        "messages", "empty_array");
  }
  std::size_t i = 0;
  for (const json::value& m : messages->as_array()) {
    if (Check e = ReadMessage(m, i++, r)) return e;
  }
  r.prefix_blocks = ChatPrefixBlocks(body);
  return ReadOutputControls(body, r);
}

}  // namespace sluice::mock
