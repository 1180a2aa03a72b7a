#include "providers/anthropic/stream_decoder.h"

#include <boost/json.hpp>

#include "providers/anthropic/json.h"

namespace sluice::providers {
namespace {

namespace json = boost::json;
using anthropic_json::ObjectAt;
using anthropic_json::StringAt;

std::int64_t IndexOf(const json::object& event) {
  const json::value* index = event.if_contains("index");
  return index != nullptr && index->is_int64() ? index->as_int64() : -1;
}

std::string Event(const json::value& data) { return http::FormatSseData(json::serialize(data)); }

}  // namespace

AnthropicStreamDecoder::AnthropicStreamDecoder(Outcome head, Options options)
    : reader_(std::move(head)), options_(options) {}

std::string AnthropicStreamDecoder::Feed(std::string_view piece) {
  std::string relayed;
  for (const http::SseEvent& event : events_.Feed(piece)) {
    boost::system::error_code ec;
    json::value data = json::parse(event.data, ec);
    if (ec || !data.is_object() || reader_.over()) continue;
    reader_.Observe(data.as_object());
    relayed += OnEvent(data.as_object());
  }
  return relayed;
}

std::string AnthropicStreamDecoder::OnEvent(const json::object& event) {
  std::string_view type = StringAt(event, "type");
  if (type == "message_start") {
    if (const json::object* message = ObjectAt(event, "message")) {
      id_ = StringAt(*message, "id");
      model_ = StringAt(*message, "model");
    }
    return Chunk({{"role", "assistant"}, {"content", ""}}, nullptr);
  }
  if (type == "content_block_start") return OnBlockStart(event);
  if (type == "content_block_delta") return OnBlockDelta(event);
  if (type == "message_delta") {
    const json::object* delta = ObjectAt(event, "delta");
    std::string_view reason = delta != nullptr ? StringAt(*delta, "stop_reason") : "";
    return Chunk({}, json::string(FinishReason(reason)));
  }
  if (type == "message_stop") {
    return (options_.include_usage ? UsageChunk() : std::string()) + "data: [DONE]\n\n";
  }
  if (type == "error") return OnError(event);
  return "";  // ping, content_block_stop, and event types added later: nothing to relay
}

std::string AnthropicStreamDecoder::OnBlockStart(const json::object& event) {
  const json::object* block = ObjectAt(event, "content_block");
  if (block == nullptr) return "";
  std::string_view type = StringAt(*block, "type");
  if (type == "text" && !StringAt(*block, "text").empty()) {
    return Chunk({{"content", StringAt(*block, "text")}}, nullptr);
  }
  if (type != "tool_use") return "";  // thinking blocks have no OpenAI form
  int call = static_cast<int>(tool_calls_.size());
  tool_calls_[IndexOf(event)] = call;
  json::object tool_call{{"index", call},
                         {"id", StringAt(*block, "id")},
                         {"type", "function"},
                         {"function", {{"name", StringAt(*block, "name")}, {"arguments", ""}}}};
  return Chunk({{"tool_calls", json::array{std::move(tool_call)}}}, nullptr);
}

std::string AnthropicStreamDecoder::OnBlockDelta(const json::object& event) {
  const json::object* delta = ObjectAt(event, "delta");
  if (delta == nullptr) return "";
  std::string_view type = StringAt(*delta, "type");
  if (type == "text_delta") return Chunk({{"content", StringAt(*delta, "text")}}, nullptr);
  auto call = tool_calls_.find(IndexOf(event));
  if (type != "input_json_delta" || call == tool_calls_.end()) return "";
  json::object tool_call{{"index", call->second},
                         {"function", {{"arguments", StringAt(*delta, "partial_json")}}}};
  return Chunk({{"tool_calls", json::array{std::move(tool_call)}}}, nullptr);
}

std::string AnthropicStreamDecoder::OnError(const json::object& event) {
  const json::object* error = ObjectAt(event, "error");
  std::string_view type = error != nullptr ? StringAt(*error, "type") : "api_error";
  return http::FormatSseData(
      ToOpenAiError(type == "overloaded_error" ? 503 : 500, json::serialize(event)));
}

std::string AnthropicStreamDecoder::Chunk(json::object delta, json::value finish_reason) const {
  json::object choice{{"index", 0},
                      {"delta", std::move(delta)},
                      {"logprobs", nullptr},
                      {"finish_reason", std::move(finish_reason)}};
  json::object chunk = ChunkHead();
  chunk["choices"] = json::array{std::move(choice)};
  if (options_.include_usage) chunk["usage"] = nullptr;
  return Event(chunk);
}

json::object AnthropicStreamDecoder::ChunkHead() const {
  return {{"id", id_},
          {"object", "chat.completion.chunk"},
          {"created", options_.created},
          {"model", model_}};
}

std::string AnthropicStreamDecoder::UsageChunk() const {
  json::object chunk = ChunkHead();
  chunk["choices"] = json::array();
  chunk["usage"] = reader_.usage().ToJson();
  return Event(chunk);
}

Outcome AnthropicStreamDecoder::Finish(const Status& ended) { return reader_.Finish(ended); }

}  // namespace sluice::providers
