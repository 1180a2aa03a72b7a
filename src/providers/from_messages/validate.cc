#include "providers/from_messages/validate.h"

#include <boost/json.hpp>

namespace sluice::providers {
namespace {

namespace json = boost::json;

Refusal Invalid(const std::string& field, const std::string& problem) {
  return Refusal{field + ": " + problem, field};
}

std::optional<Refusal> CheckTurns(const json::value& messages) {
  if (!messages.is_array()) return Invalid("messages", "Input should be a valid list");
  const json::array& turns = messages.as_array();
  for (std::size_t i = 0; i < turns.size(); ++i) {
    std::string where = "messages." + std::to_string(i);
    if (!turns[i].is_object()) return Invalid(where, "Input should be a valid dictionary");
    const json::object& turn = turns[i].as_object();
    const json::value* role = turn.if_contains("role");
    if (role == nullptr) return Invalid(where + ".role", "Field required");
    if (!role->is_string() || (role->as_string() != "user" && role->as_string() != "assistant")) {
      return Invalid(where + ".role", "Input should be 'user' or 'assistant'");
    }
    const json::value* content = turn.if_contains("content");
    if (content == nullptr) return Invalid(where + ".content", "Field required");
    if (!content->is_string() && !content->is_array()) {
      return Invalid(where + ".content", "Input should be a valid string or a list of blocks");
    }
  }
  return std::nullopt;
}

}  // namespace

std::variant<MessagesRequestHead, Refusal> ValidateMessagesRequest(const json::object& body) {
  const json::value* model = body.if_contains("model");
  if (model == nullptr) return Invalid("model", "Field required");
  if (!model->is_string() || model->as_string().empty()) {
    return Invalid("model", "Input should be a valid string");
  }
  const json::value* max_tokens = body.if_contains("max_tokens");
  if (max_tokens == nullptr) return Invalid("max_tokens", "Field required");
  if (!max_tokens->is_int64() && !max_tokens->is_uint64()) {
    return Invalid("max_tokens", "Input should be a valid integer");
  }
  if (max_tokens->is_int64() && max_tokens->as_int64() < 1) {
    return Invalid("max_tokens", "Input should be greater than or equal to 1");
  }
  const json::value* messages = body.if_contains("messages");
  if (messages == nullptr) return Invalid("messages", "Field required");
  if (auto refused = CheckTurns(*messages)) return *refused;
  MessagesRequestHead head{std::string(model->as_string()), false};
  if (const json::value* stream = body.if_contains("stream"); stream != nullptr) {
    if (!stream->is_bool()) return Invalid("stream", "Input should be a valid boolean");
    head.stream = stream->as_bool();
  }
  return head;
}

}  // namespace sluice::providers
