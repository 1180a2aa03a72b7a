// MessagesEventEncoder: the StreamDecoder for a client of sluice's POST /v1/messages whose
// request an OpenAI-shaped deployment streams. It wraps that provider's decoder (whose output
// is OpenAI's chat.completion.chunk SSE) and turns its chunks into Anthropic's events:
// message_start, content_block_start / content_block_delta (text_delta, or input_json_delta
// for a tool call) / content_block_stop per block, message_delta with the stop reason and the
// usage of the last chunk (asked for with stream_options.include_usage), message_stop. A
// mid-stream OpenAI error becomes an `error` event. The outcome is the wrapped decoder's.
// Threading: one per stream (see StreamDecoder).
#pragma once

#include <boost/json/object.hpp>
#include <memory>
#include <string>

#include "http/sse.h"
#include "providers/provider.h"

namespace sluice::providers {

class MessagesEventEncoder final : public StreamDecoder {
 public:
  explicit MessagesEventEncoder(std::unique_ptr<StreamDecoder> chunks);

  std::string Feed(std::string_view piece) override;
  Outcome Finish(const Status& ended) override { return chunks_->Finish(ended); }

 private:
  std::string OnChunk(const boost::json::object& chunk);
  std::string OnToolCall(const boost::json::object& call);
  std::string Open(boost::json::object block);  // closes the open block first
  std::string Close();
  std::string End();  // message_delta, message_stop

  std::unique_ptr<StreamDecoder> chunks_;
  http::SseParser parser_;
  bool started_ = false;  // message_start sent
  bool ended_ = false;    // message_stop or error sent
  int blocks_ = 0;        // content blocks started
  enum class Block { kNone, kText, kTool } open_ = Block::kNone;
  std::int64_t tool_call_ = -1;  // the OpenAI index of the tool call in the open block
  std::string stop_reason_ = "end_turn";
  boost::json::object usage_;  // OpenAI's usage from the last chunk
};

}  // namespace sluice::providers
