#include "mock/messages_answer.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string_view>
#include <vector>

#include "mock/content_generator.h"

namespace sluice::mock {
namespace {

namespace json = boost::json;

// What the model "generated": a text, or the input of the tool it was made to call.
struct Generated {
  bool tool = false;
  std::string text;                 // text block, or the tool input as JSON
  std::vector<std::string> pieces;  // as streamed: text tokens or partial JSON
  std::int64_t tokens = 0;
  bool truncated = false;
};

Generated Generate(const MessagesRequest& r, const MessagesContext& c) {
  Generated g;
  if (r.forced_tool) {
    g.tool = true;
    g.text = json::serialize(json::object{{"input", Marker(c.body_hash)}});
    g.tokens = static_cast<std::int64_t>((g.text.size() + 3) / 4);
    std::size_t half = g.text.size() / 2;  // Anthropic streams tool input as partial JSON
    g.pieces = {g.text.substr(0, half), g.text.substr(half)};
    return g;
  }
  GeneratedText text = GenerateText({c.seed, c.body_hash, 0, r.echo_text, r.max_tokens});
  g.text = text.text;
  g.tokens = text.tokens;
  g.truncated = text.truncated;
  for (std::string_view token : SplitTokens(g.text)) g.pieces.emplace_back(token);
  return g;
}

std::string_view StopReason(const Generated& g) {
  if (g.tool) return "tool_use";
  return g.truncated ? "max_tokens" : "end_turn";
}

json::object Usage(const MessagesInput& in, std::int64_t output_tokens) {
  return {{"input_tokens", in.input_tokens},
          {"cache_creation_input_tokens", in.cache_creation_input_tokens},
          {"cache_read_input_tokens", in.cache_read_input_tokens},
          {"cache_creation",
           {{"ephemeral_5m_input_tokens", in.cache_creation_input_tokens},
            {"ephemeral_1h_input_tokens", 0}}},
          {"output_tokens", output_tokens},
          {"service_tier", "standard"}};
}

json::object Block(const MessagesRequest& r, const MessagesContext& c, const Generated& g,
                   bool empty) {
  if (!g.tool) return {{"type", "text"}, {"text", empty ? "" : g.text}};
  json::object block{{"type", "tool_use"}, {"id", c.tool_use_id}, {"name", *r.forced_tool}};
  block["input"] = empty ? json::value(json::object()) : json::parse(g.text);
  return block;
}

json::object Message(const MessagesRequest& r, const MessagesContext& c, const Generated& g,
                     bool start) {
  json::object m{{"id", c.id}, {"type", "message"}, {"role", "assistant"}, {"model", r.model}};
  m["content"] = start ? json::array() : json::array{Block(r, c, g, false)};
  m["stop_reason"] = start ? json::value(nullptr) : json::value(StopReason(g));
  m["stop_sequence"] = nullptr;
  m["usage"] = Usage(c.input, start ? 1 : g.tokens);
  return m;
}

std::string Event(std::string_view type, const json::object& data) {
  std::string out = "event: ";
  out += type;
  out += "\ndata: ";
  out += json::serialize(data);
  out += "\n\n";
  return out;
}

std::string Cut(std::string_view text) { return std::string(text.substr(0, text.size() / 2)); }

Reply Whole(const MessagesRequest& r, const MessagesContext& c, const Generated& g,
            LatencyModel& latency) {
  std::string body = json::serialize(Message(r, c, g, false));
  Reply reply;
  reply.response = http::JsonResponse(200, c.malformed ? Cut(body) : std::move(body));
  reply.delay = latency.FirstByte() + latency.Tokens(g.tokens);
  return reply;
}

Reply Streamed(const MessagesRequest& r, const MessagesContext& c, const Generated& g,
               LatencyModel& latency) {
  Reply reply;
  reply.stream = true;
  reply.delay = latency.FirstByte();
  reply.response.headers.Set("content-type", "text/event-stream; charset=utf-8");
  auto add = [&reply](std::string_view type, const json::object& data, Duration delay = {}) {
    reply.events.push_back({Event(type, data), delay});
  };
  add("message_start", {{"type", "message_start"}, {"message", Message(r, c, g, true)}});
  add("content_block_start",
      {{"type", "content_block_start"}, {"index", 0}, {"content_block", Block(r, c, g, true)}});
  add("ping", {{"type", "ping"}});
  Duration per_piece = latency.Tokens(std::max<std::int64_t>(1, g.tokens)) /
                       static_cast<int>(std::max<std::size_t>(1, g.pieces.size()));
  for (const std::string& piece : g.pieces) {
    json::object delta = g.tool
                             ? json::object{{"type", "input_json_delta"}, {"partial_json", piece}}
                             : json::object{{"type", "text_delta"}, {"text", piece}};
    add("content_block_delta",
        {{"type", "content_block_delta"}, {"index", 0}, {"delta", std::move(delta)}}, per_piece);
  }
  add("content_block_stop", {{"type", "content_block_stop"}, {"index", 0}});
  add("message_delta", {{"type", "message_delta"},
                        {"delta", {{"stop_reason", StopReason(g)}, {"stop_sequence", nullptr}}},
                        {"usage", Usage(c.input, g.tokens)}});
  add("message_stop", {{"type", "message_stop"}});
  if (c.malformed) reply.events[1].data = Cut(reply.events[1].data) + "\n\n";
  return reply;
}

}  // namespace

MessagesAnswer BuildMessagesAnswer(const MessagesRequest& request, const MessagesContext& context,
                                   LatencyModel& latency) {
  Generated g = Generate(request, context);
  MessagesAnswer answer;
  answer.output_tokens = g.tokens;
  answer.reply =
      request.stream ? Streamed(request, context, g, latency) : Whole(request, context, g, latency);
  return answer;
}

}  // namespace sluice::mock
