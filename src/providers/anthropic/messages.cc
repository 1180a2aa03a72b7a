#include "providers/anthropic/messages.h"

#include <boost/json.hpp>
#include <utility>
#include <vector>

#include "providers/anthropic/json.h"

namespace sluice::providers {
namespace {

namespace json = boost::json;
using anthropic_json::Refuse;
using anthropic_json::Refused;
using anthropic_json::StringAt;

// One Anthropic turn being built; OpenAI messages of the same role in a row join it.
struct Turn {
  std::string role;  // "user" or "assistant"
  json::array blocks;
};

json::object TextBlock(std::string_view text) { return {{"type", "text"}, {"text", text}}; }

// The text of a string content or an array of text parts; refuses any other part.
std::variant<std::string, Refusal> PlainText(const json::value& content, const std::string& path) {
  if (content.is_null()) return std::string();
  if (content.is_string()) return std::string(content.as_string());
  if (!content.is_array()) return Refuse(path, "content must be a string or an array of parts");
  std::string text;
  for (std::size_t i = 0; i < content.as_array().size(); ++i) {
    const json::value& part = content.as_array()[i];
    std::string part_path = path + "[" + std::to_string(i) + "]";
    if (!part.is_object() || StringAt(part.as_object(), "type") != "text") {
      return Refuse(part_path + ".type", "only text parts are supported here");
    }
    if (!text.empty()) text += "\n";
    text += StringAt(part.as_object(), "text");
  }
  return text;
}

// An image_url part: a base64 data URL becomes a base64 source, any other URL a url source.
std::variant<json::object, Refusal> ImageBlock(const json::object& part, const std::string& path) {
  const json::value* image = part.if_contains("image_url");
  std::string_view url =
      image != nullptr && image->is_object() ? StringAt(image->as_object(), "url") : "";
  if (url.empty()) return Refuse(path + ".image_url.url", "an image part needs a url");
  json::object source;
  if (url.starts_with("data:")) {
    std::size_t marker = url.find(";base64,");
    if (marker == std::string_view::npos) {
      return Refuse(path + ".image_url.url", "only base64 data URLs are supported");
    }
    source = {{"type", "base64"},
              {"media_type", url.substr(5, marker - 5)},
              {"data", url.substr(marker + 8)}};
  } else {
    source = {{"type", "url"}, {"url", url}};
  }
  return json::object{{"type", "image"}, {"source", std::move(source)}};
}

Refused AppendUserContent(const json::value& content, const std::string& path,
                          json::array& blocks) {
  if (content.is_string()) {
    if (!content.as_string().empty()) blocks.push_back(TextBlock(content.as_string()));
    return std::nullopt;
  }
  if (!content.is_array()) return Refuse(path, "content must be a string or an array of parts");
  for (std::size_t i = 0; i < content.as_array().size(); ++i) {
    const json::value& part = content.as_array()[i];
    std::string part_path = path + "[" + std::to_string(i) + "]";
    std::string_view type = part.is_object() ? StringAt(part.as_object(), "type") : "";
    if (type == "text") {
      // Anthropic refuses empty text blocks; an empty part asks for nothing.
      std::string_view text = StringAt(part.as_object(), "text");
      if (!text.empty()) blocks.push_back(TextBlock(text));
    } else if (type == "image_url") {
      auto image = ImageBlock(part.as_object(), part_path);
      if (auto* refused = std::get_if<Refusal>(&image)) return std::move(*refused);
      blocks.push_back(std::move(std::get<json::object>(image)));
    } else {
      return Refuse(part_path + ".type", "content parts of type '" + std::string(type) +
                                             "' are not supported by anthropic deployments");
    }
  }
  return std::nullopt;
}

Refused AppendToolCalls(const json::value& calls, const std::string& path, json::array& blocks) {
  if (calls.is_null()) return std::nullopt;
  if (!calls.is_array()) return Refuse(path, "tool_calls must be an array");
  for (std::size_t i = 0; i < calls.as_array().size(); ++i) {
    std::string call_path = path + "[" + std::to_string(i) + "]";
    const json::value& call = calls.as_array()[i];
    const json::value* function =
        call.is_object() ? call.as_object().if_contains("function") : nullptr;
    if (function == nullptr || !function->is_object()) {
      return Refuse(call_path, "a tool call needs a function");
    }
    boost::system::error_code ec;
    json::value input = json::parse(StringAt(function->as_object(), "arguments"), ec);
    if (ec || !input.is_object()) {
      return Refuse(call_path + ".function.arguments", "tool call arguments must be a JSON object");
    }
    blocks.push_back(json::object{{"type", "tool_use"},
                                  {"id", StringAt(call.as_object(), "id")},
                                  {"name", StringAt(function->as_object(), "name")},
                                  {"input", std::move(input)}});
  }
  return std::nullopt;
}

Refused AppendToolResult(const json::object& message, const std::string& path,
                         json::array& blocks) {
  auto text = PlainText(message.contains("content") ? message.at("content") : json::value(),
                        path + ".content");
  if (auto* refused = std::get_if<Refusal>(&text)) return std::move(*refused);
  blocks.push_back(json::object{{"type", "tool_result"},
                                {"tool_use_id", StringAt(message, "tool_call_id")},
                                {"content", std::get<std::string>(text)}});
  return std::nullopt;
}

// Adds one OpenAI message: to `system`, or as blocks of a user or assistant turn.
Refused AddMessage(const json::object& message, const std::string& path, std::string& system,
                   std::vector<Turn>& turns) {
  std::string_view role = StringAt(message, "role");
  json::value content = message.contains("content") ? message.at("content") : json::value();
  if (role == "system" || role == "developer") {
    auto text = PlainText(content, path + ".content");
    if (auto* refused = std::get_if<Refusal>(&text)) return std::move(*refused);
    if (!system.empty()) system += "\n\n";
    system += std::get<std::string>(text);
    return std::nullopt;
  }
  if (role != "user" && role != "assistant" && role != "tool") {
    return Refuse(path + ".role", "messages of role '" + std::string(role) +
                                      "' are not supported by anthropic deployments");
  }
  std::string turn_role = role == "assistant" ? "assistant" : "user";
  if (turns.empty() || turns.back().role != turn_role) turns.push_back({turn_role, {}});
  json::array& blocks = turns.back().blocks;
  if (role == "tool") return AppendToolResult(message, path, blocks);
  if (role == "user") return AppendUserContent(content, path + ".content", blocks);
  auto text = PlainText(content, path + ".content");
  if (auto* refused = std::get_if<Refusal>(&text)) return std::move(*refused);
  if (!std::get<std::string>(text).empty())
    blocks.push_back(TextBlock(std::get<std::string>(text)));
  json::value calls = message.contains("tool_calls") ? message.at("tool_calls") : json::value();
  return AppendToolCalls(calls, path + ".tool_calls", blocks);
}

}  // namespace

std::optional<Refusal> TranslateMessages(const json::object& chat, json::object& out) {
  const json::value* messages = chat.if_contains("messages");
  if (messages == nullptr || !messages->is_array()) {
    return Refuse("messages", "messages must be an array");
  }
  std::string system;
  std::vector<Turn> turns;
  for (std::size_t i = 0; i < messages->as_array().size(); ++i) {
    const json::value& message = messages->as_array()[i];
    std::string path = "messages[" + std::to_string(i) + "]";
    if (!message.is_object()) return Refuse(path, "a message must be an object");
    if (Refused refused = AddMessage(message.as_object(), path, system, turns)) return refused;
  }
  if (!system.empty()) out["system"] = system;
  json::array translated;
  for (Turn& turn : turns) {
    if (turn.blocks.empty()) continue;  // e.g. an assistant message with "" and no tool calls
    translated.push_back(json::object{{"role", turn.role}, {"content", std::move(turn.blocks)}});
  }
  out["messages"] = std::move(translated);
  return std::nullopt;
}

std::variant<json::object, Refusal> ToolDefinition(const json::value& tool,
                                                   const std::string& path) {
  const json::object* object = tool.if_object();
  if (object == nullptr || StringAt(*object, "type") != "function" ||
      !object->contains("function") || !object->at("function").is_object()) {
    return Refuse(path + ".type", "anthropic deployments take tools of type 'function' only");
  }
  const json::object& function = object->at("function").as_object();
  json::object translated{{"name", StringAt(function, "name")}};
  if (function.contains("description")) translated["description"] = function.at("description");
  const json::value* parameters = function.if_contains("parameters");
  translated["input_schema"] = parameters != nullptr && parameters->is_object()
                                   ? *parameters
                                   : json::value(json::object{{"type", "object"}});
  return translated;
}

std::variant<json::object, Refusal> ToolChoice(const json::value& choice, bool serial) {
  json::object translated;
  std::string_view name = choice.is_string() ? std::string_view(choice.as_string()) : "";
  if (choice.is_null() || name == "auto") {
    translated["type"] = "auto";
  } else if (name == "none") {
    return json::object{{"type", "none"}};
  } else if (name == "required") {
    translated["type"] = "any";
  } else if (choice.is_object() && StringAt(choice.as_object(), "type") == "function" &&
             choice.as_object().contains("function") &&
             choice.as_object().at("function").is_object()) {
    translated["type"] = "tool";
    translated["name"] = StringAt(choice.as_object().at("function").as_object(), "name");
  } else {
    return Refuse("tool_choice", "tool_choice must be none, auto, required or a function");
  }
  if (serial) translated["disable_parallel_tool_use"] = true;
  return translated;
}

}  // namespace sluice::providers
