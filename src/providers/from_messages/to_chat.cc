#include "providers/from_messages/to_chat.h"

#include <boost/json.hpp>

#include "providers/anthropic/json.h"
#include "providers/anthropic/response.h"
#include "providers/from_messages/validate.h"

namespace sluice::providers {
namespace {

namespace json = boost::json;
using anthropic_json::ObjectAt;
using anthropic_json::Refuse;
using anthropic_json::Refused;
using anthropic_json::StringAt;

std::string At(const std::string& path, std::size_t i) { return path + "." + std::to_string(i); }

// The text of a string, or of an array of text blocks (joined by newlines); refuses other blocks.
std::variant<std::string, Refusal> Text(const json::value& content, const std::string& path) {
  if (content.is_string()) return std::string(content.as_string());
  if (!content.is_array()) return Refuse(path, path + ": must be a string or a list of blocks");
  std::string text;
  for (std::size_t i = 0; i < content.as_array().size(); ++i) {
    const json::value& block = content.as_array()[i];
    if (!block.is_object() || StringAt(block.as_object(), "type") != "text") {
      return Refuse(At(path, i), At(path, i) +
                                     ": only text blocks can be sent here to an "
                                     "OpenAI-compatible deployment");
    }
    if (!text.empty()) text += "\n";
    text += StringAt(block.as_object(), "text");
  }
  return text;
}

// An image block's source as an OpenAI image_url part.
std::variant<json::object, Refusal> ImagePart(const json::object& block, const std::string& path) {
  const json::object* source = ObjectAt(block, "source");
  std::string_view type = source != nullptr ? StringAt(*source, "type") : "";
  std::string url;
  if (type == "base64") {
    url = "data:" + std::string(StringAt(*source, "media_type")) + ";base64," +
          std::string(StringAt(*source, "data"));
  } else if (type == "url") {
    url = StringAt(*source, "url");
  } else {
    return Refuse(path + ".source", path +
                                        ".source: only base64 and url images can be sent to an "
                                        "OpenAI-compatible deployment");
  }
  return json::object{{"type", "image_url"}, {"image_url", {{"url", url}}}};
}

// The chat messages of one Anthropic turn, appended to `out`. A user turn's tool_result blocks
// become tool messages (first: they answer the previous turn's calls), its other blocks one user
// message; an assistant turn becomes one message with its text and tool calls.
Refused AppendTurn(const json::object& turn, const std::string& path, json::array& out) {
  std::string_view role = StringAt(turn, "role");
  const json::value& content = turn.at("content");
  if (content.is_string()) {
    out.push_back(json::object{{"role", role}, {"content", content}});
    return std::nullopt;
  }
  json::array parts;
  std::string text;  // an assistant's text blocks, joined
  json::array tool_calls;
  for (std::size_t i = 0; i < content.as_array().size(); ++i) {
    std::string block_path = At(path + ".content", i);
    if (!content.as_array()[i].is_object()) return Refuse(block_path, block_path + ": not a block");
    const json::object& block = content.as_array()[i].as_object();
    std::string_view type = StringAt(block, "type");
    if (type == "text") {
      if (role == "assistant") {
        text += StringAt(block, "text");
      } else {
        parts.push_back(json::object{{"type", "text"}, {"text", StringAt(block, "text")}});
      }
    } else if (type == "image" && role == "user") {
      auto part = ImagePart(block, block_path);
      if (auto* refused = std::get_if<Refusal>(&part)) return std::move(*refused);
      parts.push_back(std::move(std::get<json::object>(part)));
    } else if (type == "tool_use" && role == "assistant") {
      tool_calls.push_back(ToolCall(block));
    } else if (type == "tool_result" && role == "user") {
      // is_error has no OpenAI field; the result's text says what went wrong.
      const json::value* result = block.if_contains("content");
      auto result_text = result != nullptr ? Text(*result, block_path + ".content")
                                           : std::variant<std::string, Refusal>(std::string());
      if (auto* refused = std::get_if<Refusal>(&result_text)) return std::move(*refused);
      out.push_back(json::object{{"role", "tool"},
                                 {"tool_call_id", StringAt(block, "tool_use_id")},
                                 {"content", std::get<std::string>(result_text)}});
    } else if (type == "thinking" || type == "redacted_thinking") {
      continue;  // the model's earlier reasoning: OpenAI takes none back
    } else {
      return Refuse(block_path + ".type", block_path + ".type: " + std::string(type) +
                                              " blocks in " + std::string(role) +
                                              " turns cannot be sent to an OpenAI-compatible "
                                              "deployment");
    }
  }
  if (role == "assistant") {
    json::object message{{"role", "assistant"}};
    message["content"] =
        text.empty() && !tool_calls.empty() ? json::value(nullptr) : json::value(text);
    if (!tool_calls.empty()) message["tool_calls"] = std::move(tool_calls);
    out.push_back(std::move(message));
  } else if (!parts.empty()) {
    out.push_back(json::object{{"role", "user"}, {"content", std::move(parts)}});
  }
  return std::nullopt;
}

// {name, description, input_schema} → {"type":"function","function":{name, description,
// parameters}}. Anthropic's server tools (a "type" of their own) run at Anthropic: refused.
std::variant<json::object, Refusal> Tool(const json::value& tool, const std::string& path) {
  if (!tool.is_object()) return Refuse(path, path + ": must be an object");
  const json::object& t = tool.as_object();
  std::string_view type = StringAt(t, "type");
  if (!type.empty() && type != "custom") {
    return Refuse(path + ".type",
                  path + ".type: the server tool " + std::string(type) + " runs only at Anthropic");
  }
  json::object function{{"name", StringAt(t, "name")}};
  if (const json::value* d = t.if_contains("description")) function["description"] = *d;
  const json::value* schema = t.if_contains("input_schema");
  function["parameters"] = schema != nullptr ? *schema : json::value(json::object{});
  return json::object{{"type", "function"}, {"function", std::move(function)}};
}

Refused TranslateTools(const json::object& in, json::object& chat) {
  if (const json::value* tools = in.if_contains("tools"); tools != nullptr && tools->is_array()) {
    json::array out;
    for (std::size_t i = 0; i < tools->as_array().size(); ++i) {
      auto tool = Tool(tools->as_array()[i], At("tools", i));
      if (auto* refused = std::get_if<Refusal>(&tool)) return std::move(*refused);
      out.push_back(std::move(std::get<json::object>(tool)));
    }
    if (!out.empty()) chat["tools"] = std::move(out);
  }
  const json::object* choice = ObjectAt(in, "tool_choice");
  if (choice == nullptr) return std::nullopt;
  std::string_view type = StringAt(*choice, "type");
  if (type == "auto" || type == "none") {
    chat["tool_choice"] = type;
  } else if (type == "any") {
    chat["tool_choice"] = "required";
  } else if (type == "tool") {
    chat["tool_choice"] = {{"type", "function"},
                           {"function", {{"name", StringAt(*choice, "name")}}}};
  } else {
    return Refuse("tool_choice.type", "tool_choice.type: unknown type " + std::string(type));
  }
  const json::value* serial = choice->if_contains("disable_parallel_tool_use");
  if (serial != nullptr && serial->is_bool() && serial->as_bool() && chat.contains("tools")) {
    chat["parallel_tool_calls"] = false;
  }
  return std::nullopt;
}

// Fields read below, and those whose loss changes nothing the model does.
bool IsKnown(std::string_view key) {
  for (std::string_view known : {"model", "messages", "max_tokens", "system", "stop_sequences",
                                 "temperature", "top_p", "top_k", "stream", "tools", "tool_choice",
                                 "metadata", "thinking", "cache_control", "service_tier"}) {
    if (key == known) return true;
  }
  return false;
}

Refused TranslateParameters(const json::object& in, json::object& chat) {
  for (const auto& [key, value] : in) {
    if (!IsKnown(key)) {
      return Refuse(key, std::string(key) + ": not supported by OpenAI-compatible deployments");
    }
  }
  chat["max_tokens"] = in.at("max_tokens");
  for (std::string_view key : {"temperature", "top_p"}) {
    if (const json::value* v = in.if_contains(key); v != nullptr && !v->is_null()) chat[key] = *v;
  }
  if (const json::value* k = in.if_contains("top_k"); k != nullptr && !k->is_null()) {
    return Refuse("top_k", "top_k: OpenAI-compatible deployments have no top_k sampling");
  }
  const json::object* thinking = ObjectAt(in, "thinking");
  if (thinking != nullptr && StringAt(*thinking, "type") != "disabled") {
    return Refuse("thinking",
                  "thinking: extended thinking is not available on "
                  "OpenAI-compatible deployments");
  }
  if (const json::value* stop = in.if_contains("stop_sequences");
      stop != nullptr && stop->is_array()) {
    if (stop->as_array().size() > 4) {
      return Refuse("stop_sequences",
                    "stop_sequences: OpenAI-compatible deployments take at "
                    "most 4 stop sequences");
    }
    if (!stop->as_array().empty()) chat["stop"] = *stop;
  }
  const json::object* metadata = ObjectAt(in, "metadata");
  if (metadata != nullptr && !StringAt(*metadata, "user_id").empty()) {
    chat["user"] = StringAt(*metadata, "user_id");
  }
  const json::value* stream = in.if_contains("stream");
  if (stream != nullptr && stream->is_bool() && stream->as_bool()) {
    chat["stream"] = true;
    chat["stream_options"] = {{"include_usage", true}};
  }
  return std::nullopt;
}

}  // namespace

std::variant<std::string, Refusal> ToChatRequest(std::string_view messages_body) {
  boost::system::error_code ec;
  json::value parsed = json::parse(messages_body, ec);
  if (ec || !parsed.is_object()) return Refuse("", "the request body is not a JSON object");
  const json::object& in = parsed.as_object();
  auto valid = ValidateMessagesRequest(in);
  if (auto* refused = std::get_if<Refusal>(&valid)) return std::move(*refused);
  json::object chat{{"model", in.at("model")}};
  json::array messages;
  if (const json::value* system = in.if_contains("system");
      system != nullptr && !system->is_null()) {
    auto text = Text(*system, "system");
    if (auto* refused = std::get_if<Refusal>(&text)) return std::move(*refused);
    messages.push_back(json::object{{"role", "system"}, {"content", std::get<std::string>(text)}});
  }
  const json::array& turns = in.at("messages").as_array();
  for (std::size_t i = 0; i < turns.size(); ++i) {
    if (Refused refused = AppendTurn(turns[i].as_object(), At("messages", i), messages)) {
      return std::move(*refused);
    }
  }
  chat["messages"] = std::move(messages);
  if (Refused refused = TranslateParameters(in, chat)) return std::move(*refused);
  if (Refused refused = TranslateTools(in, chat)) return std::move(*refused);
  return json::serialize(chat);
}

}  // namespace sluice::providers
