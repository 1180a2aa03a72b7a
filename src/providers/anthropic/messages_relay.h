// AnthropicMessagesRelay: the Anthropic adapter's MessagesRelay — a client's Messages request
// sent to the deployment as it came (model renamed), its answer and event stream passed back
// byte for byte, read for usage and anthropic-ratelimit-* hints as the adapter reads its own.
// Also the URL and key headers every request to a Messages API carries. Pure; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "providers/messages_relay.h"
#include "providers/provider.h"

namespace sluice::providers {

// The Messages API version sent when a client names none (WIRE.md §5.1).
inline constexpr std::string_view kAnthropicVersion = "2023-06-01";

// POST <base_url>/v1/messages (a base_url given with /v1 works too) with the deployment's key in
// x-api-key and content-type application/json; no body, no version.
http::ClientRequest MessagesRequestTo(const Upstream& upstream);

// `body` with the value of its top-level "model" replaced by `model` (a JSON string), every
// other byte as it was; nullopt when `body` is not a JSON object with a string "model".
std::optional<std::string> ReplaceModel(std::string_view body, std::string_view model);

class AnthropicMessagesRelay final : public MessagesRelay {
 public:
  // `clock` reads the wall time for the RFC 3339 resets; it must outlive the relay.
  AnthropicMessagesRelay(Upstream upstream, const Clock& clock);

  http::ClientRequest Encode(std::string_view body,
                             const http::Headers& client_headers) const override;
  Outcome Decode(const Result<http::Response>& answer) const override;
  std::unique_ptr<StreamDecoder> DecodeStream(int status,
                                              const http::Headers& headers) const override;

  // The Outcome a stream's head gives: status, request id, limit hints.
  Outcome HeadOutcome(int status, const http::Headers& headers) const;

 private:
  Upstream upstream_;
  const Clock& clock_;
};

}  // namespace sluice::providers
