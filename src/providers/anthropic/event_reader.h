// MessagesEventReader: what an Anthropic Messages event stream says about its attempt — the
// usage (message_start, message_delta), whether message_stop arrived, an `error` event — read
// event by event. Shared by the decoder that translates the stream into OpenAI's chunks and the
// one that relays it unchanged to Anthropic's clients.
// Threading: one per stream, used by one coroutine.
#pragma once

#include <boost/json/object.hpp>

#include "providers/anthropic/response.h"
#include "providers/provider.h"

namespace sluice::providers {

class MessagesEventReader {
 public:
  // `head` is the Outcome the stream's head gave (status, request id, limit hints).
  explicit MessagesEventReader(Outcome head) : outcome_(std::move(head)) {}

  // Reads one event's JSON. Events after the end (message_stop or error) are ignored.
  void Observe(const boost::json::object& event);

  // message_stop or an error event has arrived: nothing later counts.
  bool over() const { return stopped_ || failed_; }
  const AnthropicUsage& usage() const { return usage_; }

  // The outcome once the stream is over: `ended` is OK when the upstream body ended, the
  // failure that cut it otherwise. A stream that ended before message_stop, or that carried an
  // error event, failed (the usage read so far is kept).
  Outcome Finish(const Status& ended) const;

 private:
  Outcome outcome_;
  AnthropicUsage usage_;
  bool stopped_ = false;  // message_stop arrived
  bool failed_ = false;   // an error event arrived
};

}  // namespace sluice::providers
