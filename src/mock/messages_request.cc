#include "mock/messages_request.h"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "mock/body_hash.h"
#include "mock/mock_request.h"
#include "mock/request_checks.h"

namespace sluice::mock {
namespace {

namespace json = boost::json;

using Check = std::optional<http::ApiError>;

http::ApiError Invalid(std::string message) {
  return {400, "invalid_request_error", std::move(message), std::nullopt, std::nullopt};
}
http::ApiError Required(std::string_view field) {
  return Invalid(fmt::format("{}: Field required", field));
}

// Walks the prompt in the order Anthropic caches it (tools, system, messages), counting its
// characters and hashing it, and notes the prefix up to the last cache breakpoint.
class PromptReader {
 public:
  explicit PromptReader(MessagesRequest& r) : r_(r), hash_(BodyHash(r.model)) {}

  void Add(std::string_view text) {
    r_.prompt_chars += CountCharacters(text);
    hash_ = BodyHash(text, hash_);
  }
  void AddJson(const json::value& v) { Add(json::serialize(v)); }
  // A block (or tool) that carries cache_control ends the cached prefix here.
  void MaybeBreakpoint(const json::object& block) {
    if (block.contains("cache_control")) Breakpoint();
  }
  void Breakpoint() {
    r_.cached_chars = r_.prompt_chars;
    r_.cache_key = hash_;
  }

 private:
  MessagesRequest& r_;
  std::uint64_t hash_;
};

Check ReadBlock(const json::value& v, std::string_view where, PromptReader& prompt,
                std::string* text_out) {
  if (!v.is_object()) return Invalid(fmt::format("{}: Input should be a valid dictionary", where));
  const json::object& block = v.as_object();
  const json::value* type = block.if_contains("type");
  if (type == nullptr || !type->is_string()) return Required(fmt::format("{}.type", where));
  if (type->as_string() == "text") {
    const json::value* text = block.if_contains("text");
    if (text == nullptr || !text->is_string()) return Required(fmt::format("{}.text", where));
    prompt.Add(text->as_string());
    if (text_out != nullptr) *text_out = EchoPrefix(text->as_string());
  } else {
    prompt.AddJson(v);  // images, tool_use, tool_result, documents: their JSON, roughly
  }
  prompt.MaybeBreakpoint(block);
  return std::nullopt;
}

// A string or an array of blocks.
Check ReadContent(const json::value& v, std::string_view where, PromptReader& prompt,
                  std::string* text_out) {
  if (v.is_string()) {
    prompt.Add(v.as_string());
    if (text_out != nullptr) *text_out = EchoPrefix(v.as_string());
    return std::nullopt;
  }
  if (!v.is_array()) return Invalid(fmt::format("{}: Input should be a valid list", where));
  const json::array& blocks = v.as_array();
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (Check e = ReadBlock(blocks[i], fmt::format("{}.{}", where, i), prompt, text_out)) return e;
  }
  return std::nullopt;
}

Check ReadTools(const json::object& body, MessagesRequest& r, PromptReader& prompt) {
  const json::value* tools = body.if_contains("tools");
  std::optional<std::string> first;
  if (tools != nullptr && !tools->is_null()) {
    if (!tools->is_array()) return Invalid("tools: Input should be a valid list");
    for (std::size_t i = 0; i < tools->as_array().size(); ++i) {
      const json::value& tool = tools->as_array()[i];
      const json::value* name = tool.is_object() ? tool.as_object().if_contains("name") : nullptr;
      if (name == nullptr || !name->is_string()) return Required(fmt::format("tools.{}.name", i));
      if (!first) first = std::string(name->as_string());
      prompt.AddJson(tool);
      prompt.MaybeBreakpoint(tool.as_object());
    }
  }
  const json::value* choice = body.if_contains("tool_choice");
  if (choice == nullptr || choice->is_null()) return std::nullopt;
  const json::value* type = choice->is_object() ? choice->as_object().if_contains("type") : nullptr;
  if (type == nullptr || !type->is_string()) return Required("tool_choice.type");
  std::string_view kind = type->as_string();
  if (kind == "tool") {
    const json::value* name = choice->as_object().if_contains("name");
    if (name == nullptr || !name->is_string()) return Required("tool_choice.name");
    r.forced_tool = std::string(name->as_string());
  } else if (kind == "any") {
    if (!first) return Invalid("tool_choice: 'any' requires at least one tool in tools");
    r.forced_tool = first;
  } else if (kind != "auto" && kind != "none") {
    return Invalid("tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'");
  }
  return std::nullopt;
}

Check ReadMessages(const json::object& body, MessagesRequest& r, PromptReader& prompt) {
  const json::value* messages = body.if_contains("messages");
  if (messages == nullptr || messages->is_null()) return Required("messages");
  if (!messages->is_array()) return Invalid("messages: Input should be a valid list");
  if (messages->as_array().empty()) return Invalid("messages: at least one message is required");
  const json::array& list = messages->as_array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string where = fmt::format("messages.{}", i);
    if (!list[i].is_object()) return Invalid(where + ": Input should be a valid dictionary");
    const json::object& m = list[i].as_object();
    const json::value* role = m.if_contains("role");
    if (role == nullptr) return Required(where + ".role");
    bool user = role->is_string() && role->as_string() == "user";
    if (!user && !(role->is_string() && role->as_string() == "assistant")) {
      return Invalid(where + ".role: Input should be 'user' or 'assistant'");
    }
    const json::value* content = m.if_contains("content");
    if (content == nullptr) return Required(where + ".content");
    if (Check e = ReadContent(*content, where + ".content", prompt, user ? &r.echo_text : nullptr))
      return e;
  }
  return std::nullopt;
}

Check ReadBody(const json::object& body, MessagesRequest& r) {
  const json::value* model = body.if_contains("model");
  if (model == nullptr || model->is_null()) return Required("model");
  if (!model->is_string()) return Invalid("model: Input should be a valid string");
  r.model = std::string(model->as_string());

  const json::value* max_tokens = body.if_contains("max_tokens");
  if (max_tokens == nullptr || max_tokens->is_null()) return Required("max_tokens");
  if (!max_tokens->is_int64() && !max_tokens->is_uint64()) {
    return Invalid("max_tokens: Input should be a valid integer");
  }
  r.max_tokens = max_tokens->is_int64() ? max_tokens->as_int64() : -1;
  if (r.max_tokens < 1) return Invalid("max_tokens: Input should be greater than or equal to 1");

  if (const json::value* stream = body.if_contains("stream"); stream && !stream->is_null()) {
    if (!stream->is_bool()) return Invalid("stream: Input should be a valid boolean");
    r.stream = stream->as_bool();
  }
  if (const json::value* t = body.if_contains("temperature"); t && !t->is_null()) {
    if (!t->is_number()) return Invalid("temperature: Input should be a valid number");
    double value = t->to_number<double>();
    if (value < 0) return Invalid("temperature: Input should be greater than or equal to 0");
    if (value > 1) return Invalid("temperature: Input should be less than or equal to 1");
  }

  PromptReader prompt(r);
  if (Check e = ReadTools(body, r, prompt)) return e;
  if (const json::value* system = body.if_contains("system"); system && !system->is_null()) {
    if (Check e = ReadContent(*system, "system", prompt, nullptr)) return e;
  }
  if (Check e = ReadMessages(body, r, prompt)) return e;
  if (body.contains("cache_control")) prompt.Breakpoint();  // automatic: the whole prompt
  return std::nullopt;
}

}  // namespace

ParsedMessages ParseMessagesRequest(std::string_view body) {
  ParsedMessages out;
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object()) {
    out.error = Invalid(
        "There was an issue with the formatting or content of your request: the "
        "body is not a valid JSON object.");
    return out;
  }
  out.error = ReadBody(doc.as_object(), out.request);
  return out;
}

}  // namespace sluice::mock
