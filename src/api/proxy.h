// Proxy: the real-time endpoints — OpenAI's (POST /v1/chat/completions, /v1/completions,
// /v1/embeddings) and Anthropic's (POST /v1/messages) — through the same deployments, limiters
// and retry policy as batch items; each request speaks its client's dialect (ProxyRequest). Each
// request asks the dispatcher for room on a deployment of its model, ahead of every batch; when
// none comes within `max_wait` it gets a 429 with a retry-after computed from the limiter — it is
// never sent to meet a certain upstream 429. Streams pass through chunk by chunk, read through
// the deployment's Provider (its StreamDecoder) for usage and limit hints. A final answer of a
// fallback class (scheduler/fallbacks.h) sends the request on to the model's next fallback, with
// its own admission, limits and retries; a stream falls back only before its first byte. Every
// answer from a model names it in `x-sluice-model`. Each upstream attempt carries the request's
// id and trace (http::RequestTrace: x-client-request-id, a traceparent of its own span) and is
// logged (debug) under that id.
// Threading: Handle runs on the server's io executor, which must be the dispatcher's and the
// client's (one event loop).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <string>

#include "api/proxy_request.h"
#include "common/clock.h"
#include "http/client.h"
#include "http/request_trace.h"
#include "http/server.h"
#include "scheduler/dispatcher.h"
#include "tokens/request_estimate.h"

namespace sluice::api {

struct ProxyOptions {
  Duration max_wait = std::chrono::seconds(10);  // for capacity, before answering 429
  // The longest gap between two pieces of a streamed answer; a stream is cut by this, not by
  // the deployment's timeout (which bounds its head).
  Duration stream_idle_timeout = std::chrono::seconds(60);
  tokens::EstimateOptions estimate;
  // Bodies this large or larger are counted on `counting_executor`, off the event loop.
  std::size_t inline_estimate_bytes = 64 * 1024;
  boost::asio::any_io_executor counting_executor;
};

class Proxy {
 public:
  Proxy(scheduler::Dispatcher& dispatcher, http::Client& client, Clock& clock,
        ProxyOptions options);

  // Answers one request to an OpenAI endpoint (the request's path) for `tenant`; `trace` is
  // the request's (http::TraceOfRequest).
  boost::asio::awaitable<void> Handle(http::Exchange& exchange, std::string tenant,
                                      http::RequestTrace trace);

  // Answers one POST /v1/messages for `tenant`. Its errors are in OpenAI's shape except a
  // relayed Anthropic answer and a stream's: the gateway reshapes them for this route.
  boost::asio::awaitable<void> HandleMessages(http::Exchange& exchange, std::string tenant,
                                              http::RequestTrace trace);

  using Call = ProxyCall;
  struct Served;  // what one model made of it

 private:
  boost::asio::awaitable<void> Serve(http::Exchange& exchange, Call& call);
  boost::asio::awaitable<Served> Send(Call& call);
  boost::asio::awaitable<Served> Stream(http::Exchange& exchange, Call& call);
  // Logs (debug) one upstream attempt of `call` on `admission`'s deployment: the request's id,
  // the traceparent the attempt sent and what came of it.
  void LogAttempt(const Call& call, const scheduler::Admission& admission, int attempt,
                  std::string_view traceparent, const providers::Outcome& outcome) const;

  scheduler::Dispatcher& dispatcher_;
  http::Client& client_;
  Clock& clock_;
  ProxyOptions options_;
  Random random_{0x5eed};
};

}  // namespace sluice::api
