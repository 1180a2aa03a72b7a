#include "providers/anthropic/request.h"

#include <boost/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "providers/anthropic/json.h"
#include "providers/anthropic/messages.h"

namespace sluice::providers {
namespace {

namespace json = boost::json;
using anthropic_json::Refuse;
using anthropic_json::Refused;

// A parameter with no Anthropic equivalent is refused when it asks for something (true, a
// non-zero number, a non-empty value); its neutral value passes.
bool AsksForSomething(const json::value& value) {
  if (value.is_null()) return false;
  if (value.is_bool()) return value.as_bool();
  if (value.is_number()) return value.to_number<double>() != 0;
  if (value.is_string()) return !value.as_string().empty();
  if (value.is_object()) return !value.as_object().empty();
  return !value.as_array().empty();
}

// Parameters sluice translates; every other key is refused by CheckParameters.
bool IsTranslated(std::string_view key) {
  for (std::string_view known :
       {"model", "messages", "max_tokens", "max_completion_tokens", "stop", "temperature", "top_p",
        "stream", "stream_options", "tools", "tool_choice", "parallel_tool_calls", "user",
        "response_format", "n"}) {
    if (key == known) return true;
  }
  return false;
}

Refused CheckParameters(const json::object& chat) {
  for (const auto& [key, value] : chat) {
    if (IsTranslated(key) || value.is_null()) continue;
    if ((key == "logprobs" || key == "top_logprobs") && AsksForSomething(value)) {
      return Refuse(
          key, "anthropic deployments do not return log probabilities (" + std::string(key) + ")");
    }
    bool neutral = key == "logprobs" || key == "presence_penalty" || key == "frequency_penalty" ||
                   key == "logit_bias" || key == "store" || key == "metadata";
    if (neutral && !AsksForSomething(value)) continue;
    return Refuse(key, std::string(key) + " is not supported by anthropic deployments");
  }
  if (const json::value* n = chat.if_contains("n"); n != nullptr && !n->is_null()) {
    if (!n->is_int64() || n->as_int64() != 1) {
      return Refuse("n", "anthropic deployments answer one choice: n must be 1");
    }
  }
  return std::nullopt;
}

Refused TranslateOutputCap(const json::object& chat, const MessagesRequestOptions& options,
                           json::object& out) {
  for (std::string_view key : {"max_completion_tokens", "max_tokens"}) {
    const json::value* cap = chat.if_contains(key);
    if (cap == nullptr || cap->is_null()) continue;
    if (!cap->is_int64() || cap->as_int64() < 1) {
      return Refuse(std::string(key), std::string(key) + " must be a positive integer");
    }
    out["max_tokens"] = cap->as_int64();
    return std::nullopt;
  }
  out["max_tokens"] = options.default_max_tokens;
  return std::nullopt;
}

Refused TranslateSampling(const json::object& chat, json::object& out) {
  if (const json::value* t = chat.if_contains("temperature"); t != nullptr && !t->is_null()) {
    if (!t->is_number() || t->to_number<double>() < 0 || t->to_number<double>() > 1) {
      return Refuse("temperature", "anthropic deployments take a temperature from 0 to 1");
    }
    out["temperature"] = *t;
  }
  if (const json::value* p = chat.if_contains("top_p"); p != nullptr && !p->is_null()) {
    out["top_p"] = *p;
  }
  if (const json::value* stop = chat.if_contains("stop"); stop != nullptr && !stop->is_null()) {
    json::array sequences;
    if (stop->is_string()) sequences.push_back(*stop);
    if (stop->is_array()) {
      for (const json::value& s : stop->as_array()) {
        if (!s.is_string()) return Refuse("stop", "stop must be a string or strings");
        sequences.push_back(s);
      }
    }
    if (!stop->is_string() && !stop->is_array()) {
      return Refuse("stop", "stop must be a string or strings");
    }
    out["stop_sequences"] = std::move(sequences);
  }
  if (const json::value* user = chat.if_contains("user"); user != nullptr && user->is_string()) {
    out["metadata"] = {{"user_id", *user}};
  }
  return std::nullopt;
}

Refused TranslateResponseFormat(const json::object& chat) {
  const json::value* format = chat.if_contains("response_format");
  if (format == nullptr || format->is_null()) return std::nullopt;
  const json::value* type = format->is_object() ? format->as_object().if_contains("type") : nullptr;
  if (type != nullptr && type->is_string() && type->as_string() == "text") return std::nullopt;
  return Refuse("response_format",
                "anthropic deployments answer text only: the Messages API has no JSON mode "
                "(response_format json_object / json_schema); describe the JSON in the prompt "
                "or ask for it through a tool");
}

Refused TranslateTools(const json::object& chat, json::object& out) {
  const json::value* tools = chat.if_contains("tools");
  if (tools != nullptr && !tools->is_null()) {
    if (!tools->is_array()) return Refuse("tools", "tools must be an array");
    json::array translated;
    for (std::size_t i = 0; i < tools->as_array().size(); ++i) {
      auto tool = ToolDefinition(tools->as_array()[i], "tools[" + std::to_string(i) + "]");
      if (auto* refused = std::get_if<Refusal>(&tool)) return std::move(*refused);
      translated.push_back(std::move(std::get<json::object>(tool)));
    }
    out["tools"] = std::move(translated);
  }
  const json::value* parallel = chat.if_contains("parallel_tool_calls");
  bool serial = parallel != nullptr && parallel->is_bool() && !parallel->as_bool();
  const json::value* choice = chat.if_contains("tool_choice");
  if ((choice == nullptr || choice->is_null()) && !serial) return std::nullopt;
  auto translated_choice = ToolChoice(choice == nullptr ? json::value() : *choice, serial);
  if (auto* refused = std::get_if<Refusal>(&translated_choice)) return std::move(*refused);
  out["tool_choice"] = std::move(std::get<json::object>(translated_choice));
  return std::nullopt;
}

}  // namespace

std::variant<std::string, Refusal> ToMessagesRequest(std::string_view chat_body,
                                                     const MessagesRequestOptions& options) {
  boost::system::error_code ec;
  json::value parsed = json::parse(chat_body, ec);
  if (ec || !parsed.is_object()) {
    return Refusal{"the request body is not a JSON object", std::nullopt};
  }
  const json::object& chat = parsed.as_object();
  json::object out;
  out["model"] = options.model;
  if (Refused r = CheckParameters(chat)) return std::move(*r);
  if (Refused r = TranslateOutputCap(chat, options, out)) return std::move(*r);
  if (Refused r = TranslateSampling(chat, out)) return std::move(*r);
  if (Refused r = TranslateResponseFormat(chat)) return std::move(*r);
  if (Refused r = TranslateTools(chat, out)) return std::move(*r);
  if (Refused r = TranslateMessages(chat, out)) return std::move(*r);
  if (const json::value* stream = chat.if_contains("stream");
      stream != nullptr && stream->is_bool() && stream->as_bool()) {
    out["stream"] = true;
  }
  return json::serialize(out);
}

}  // namespace sluice::providers
