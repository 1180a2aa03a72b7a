#include "providers/from_messages/event_encoder.h"

#include <boost/json.hpp>

#include "providers/anthropic/json.h"
#include "providers/from_messages/to_message.h"

namespace sluice::providers {
namespace {

namespace json = boost::json;
using anthropic_json::ObjectAt;
using anthropic_json::StringAt;

// "event: <type>" and the data {"type":<type>, ...fields}, as Anthropic sends them.
std::string Event(std::string_view type, const json::object& fields) {
  json::object data{{"type", type}};
  for (const auto& [key, value] : fields) data[key] = value;
  return "event: " + std::string(type) + "\n" + http::FormatSseData(json::serialize(data));
}

}  // namespace

MessagesEventEncoder::MessagesEventEncoder(std::unique_ptr<StreamDecoder> chunks)
    : chunks_(std::move(chunks)) {}

std::string MessagesEventEncoder::Feed(std::string_view piece) {
  std::string events;
  for (const http::SseEvent& event : parser_.Feed(chunks_->Feed(piece))) {
    if (ended_) break;
    if (event.data == "[DONE]") {
      events += End();
      continue;
    }
    boost::system::error_code ec;
    json::value data = json::parse(event.data, ec);
    if (!ec && data.is_object()) events += OnChunk(data.as_object());
  }
  return events;
}

std::string MessagesEventEncoder::OnChunk(const json::object& chunk) {
  if (const json::object* error = ObjectAt(chunk, "error")) {
    ended_ = true;
    std::string message(StringAt(*error, "message"));
    json::object body{{"error", {{"type", "api_error"}, {"message", message}}}};
    return Event("error", std::move(body));
  }
  std::string events;
  if (!started_) {
    started_ = true;
    json::object message{
        {"id", StringAt(chunk, "id")}, {"type", "message"},
        {"role", "assistant"},         {"model", StringAt(chunk, "model")},
        {"content", json::array()},    {"stop_reason", nullptr},
        {"stop_sequence", nullptr},    {"usage", {{"input_tokens", 0}, {"output_tokens", 0}}}};
    events += Event("message_start", {{"message", std::move(message)}});
  }
  if (const json::object* usage = ObjectAt(chunk, "usage")) usage_ = *usage;
  const json::value* choices = chunk.if_contains("choices");
  if (choices == nullptr || !choices->is_array() || choices->as_array().empty() ||
      !choices->as_array()[0].is_object()) {
    return events;
  }
  const json::object& choice = choices->as_array()[0].as_object();
  if (const json::object* delta = ObjectAt(choice, "delta")) {
    std::string_view text = StringAt(*delta, "content");
    if (!text.empty()) {
      if (open_ != Block::kText) events += Open({{"type", "text"}, {"text", ""}});
      events += Event("content_block_delta", {{"index", blocks_ - 1},
                                              {"delta", {{"type", "text_delta"}, {"text", text}}}});
    }
    if (const json::value* calls = delta->if_contains("tool_calls"); calls && calls->is_array()) {
      for (const json::value& call : calls->as_array()) {
        if (call.is_object()) events += OnToolCall(call.as_object());
      }
    }
  }
  std::string_view finish = StringAt(choice, "finish_reason");
  if (!finish.empty()) stop_reason_ = StopReason(finish);
  return events;
}

std::string MessagesEventEncoder::OnToolCall(const json::object& call) {
  const json::value* index = call.if_contains("index");
  std::int64_t at = index != nullptr && index->is_int64() ? index->as_int64() : 0;
  std::string events;
  const json::object* function = ObjectAt(call, "function");
  if (open_ != Block::kTool || at != tool_call_) {
    tool_call_ = at;
    events += Open({{"type", "tool_use"},
                    {"id", StringAt(call, "id")},
                    {"name", function != nullptr ? StringAt(*function, "name") : ""},
                    {"input", json::object()}});
    open_ = Block::kTool;
  }
  std::string_view arguments = function != nullptr ? StringAt(*function, "arguments") : "";
  if (!arguments.empty()) {
    events += Event("content_block_delta",
                    {{"index", blocks_ - 1},
                     {"delta", {{"type", "input_json_delta"}, {"partial_json", arguments}}}});
  }
  return events;
}

std::string MessagesEventEncoder::Open(json::object block) {
  std::string events = Close();
  open_ = StringAt(block, "type") == "text" ? Block::kText : Block::kTool;
  events += Event("content_block_start", {{"index", blocks_}, {"content_block", std::move(block)}});
  ++blocks_;
  return events;
}

std::string MessagesEventEncoder::Close() {
  if (open_ == Block::kNone) return "";
  open_ = Block::kNone;
  return Event("content_block_stop", {{"index", blocks_ - 1}});
}

std::string MessagesEventEncoder::End() {
  std::string events = started_ ? std::string() : OnChunk({});  // message_start first, always
  ended_ = true;
  events += Close();
  json::object delta{{"stop_reason", stop_reason_}, {"stop_sequence", nullptr}};
  events += Event("message_delta", {{"delta", std::move(delta)}, {"usage", MessagesUsage(usage_)}});
  return events + Event("message_stop", {});
}

}  // namespace sluice::providers
