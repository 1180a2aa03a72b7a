// MessagesRelay: a provider's way of relaying an Anthropic Messages request from a client of
// sluice's POST /v1/messages to an upstream that speaks the Messages API itself, unchanged but
// for the model, and of reading the answer — body or event stream, passed on as it came — for
// the limiter (usage, anthropic-ratelimit-* hints) and the retry table. Pure, like Provider;
// implementations are immutable and thread-safe.
#pragma once

#include <memory>
#include <string_view>

#include "providers/provider.h"

namespace sluice::providers {

class MessagesRelay {
 public:
  virtual ~MessagesRelay() = default;
  // The upstream request for the Messages request `body`: its "model" replaced by the
  // deployment's (every other byte kept), the client's anthropic-version (a default when
  // absent) and anthropic-beta from `client_headers`, the deployment's key.
  virtual http::ClientRequest Encode(std::string_view body,
                                     const http::Headers& client_headers) const = 0;
  // The outcome of an attempt; its body is the upstream's, as received.
  virtual Outcome Decode(const Result<http::Response>& answer) const = 0;
  // A decoder for a stream whose 2xx head has arrived: Feed returns each piece unchanged, while
  // the events are read for usage, the end of the message and errors.
  virtual std::unique_ptr<StreamDecoder> DecodeStream(int status,
                                                      const http::Headers& headers) const = 0;
};

}  // namespace sluice::providers
