// ProxyRequest: one request the proxy serves, in the dialect its client speaks — OpenAI's
// endpoints or Anthropic's POST /v1/messages. It encodes itself for whichever deployment admits
// it and reads that deployment's answers back into its client's shape, so the proxy's one path
// (admission, retries, streaming, limiter feedback) serves both. ProxyCall is what that path
// knows of a request. Pure; immutable once made.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "http/request_trace.h"
#include "providers/provider.h"

namespace sluice::api {

class ProxyRequest {
 public:
  virtual ~ProxyRequest() = default;
  // The upstream request for `provider`'s deployment, or the Refusal of this request there.
  virtual providers::Encoded Encode(const providers::Provider& provider) const = 0;
  // The outcome of an attempt there, its body in the client's shape.
  virtual providers::Outcome Decode(const providers::Provider& provider,
                                    const Result<http::Response>& answer) const = 0;
  // The decoder of a stream there whose 2xx head has arrived: Feed returns the client's bytes.
  virtual std::unique_ptr<providers::StreamDecoder> DecodeStream(
      const providers::Provider& provider, int status, const http::Headers& headers) const = 0;
  // The status a client gets for an upstream answer of `upstream_status`.
  virtual int ClientStatus(int upstream_status) const = 0;
  // The event that tells a client its stream was cut after it began: `message` says why.
  virtual std::string StreamError(std::string_view message) const = 0;
};

// One proxied request as the proxy's path knows it.
struct ProxyCall {
  std::string tenant;
  std::string model;  // what the client asked for
  bool stream = false;
  // What is counted for admission: `estimate_body` as a request to `estimate_endpoint`.
  std::string estimate_endpoint;  // "/v1/chat/completions"
  std::string estimate_body;
  std::int64_t tokens = 0;  // reserved at admission
  std::unique_ptr<ProxyRequest> request;
  std::vector<std::string> tried;  // the models sent to so far; the last is `model`
  http::RequestTrace trace;        // its id and trace, carried by every upstream attempt
};

// An OpenAI-shaped request to `endpoint` ("/v1/chat/completions", ...), sent through each
// provider's own translation; Anthropic's 529 reaches the client as 503.
std::unique_ptr<ProxyRequest> MakeOpenAiRequest(std::string endpoint, std::string body);

}  // namespace sluice::api
