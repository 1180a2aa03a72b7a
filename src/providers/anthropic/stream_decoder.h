// AnthropicStreamDecoder: the StreamDecoder of Anthropic's Messages SSE (message_start,
// content_block_start / delta / stop, message_delta, message_stop, ping, error), translated as
// it arrives into OpenAI's chat.completion.chunk events: text deltas, tool call deltas (index,
// id, name, arguments), the finish_reason, a usage chunk when the client asked for one
// (stream_options.include_usage), then "data: [DONE]". An `error` event reaches the client as
// OpenAI's mid-stream {"error":{...}} and fails the attempt.
// Threading: one per stream (see StreamDecoder).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <string>

#include "http/sse.h"
#include "providers/anthropic/event_reader.h"
#include "providers/anthropic/response.h"
#include "providers/provider.h"

namespace sluice::providers {

class AnthropicStreamDecoder final : public StreamDecoder {
 public:
  struct Options {
    bool include_usage = false;  // the client's stream_options.include_usage
    std::int64_t created = 0;    // every chunk's `created` (Unix seconds)
  };

  // `head` is the Outcome the stream's head gave (status, request id, limit hints).
  AnthropicStreamDecoder(Outcome head, Options options);

  std::string Feed(std::string_view piece) override;
  Outcome Finish(const Status& ended) override;

 private:
  std::string OnEvent(const boost::json::object& event);
  std::string OnBlockStart(const boost::json::object& event);
  std::string OnBlockDelta(const boost::json::object& event);
  std::string OnError(const boost::json::object& event);
  // One chat.completion.chunk event with `delta` and `finish_reason` in its only choice.
  std::string Chunk(boost::json::object delta, boost::json::value finish_reason) const;
  std::string UsageChunk() const;
  boost::json::object ChunkHead() const;  // id, object, created, model

  http::SseParser events_;
  MessagesEventReader reader_;  // usage, the end, errors
  Options options_;
  std::string id_;
  std::string model_;
  std::map<std::int64_t, int> tool_calls_;  // content block index → OpenAI tool call index
};

}  // namespace sluice::providers
