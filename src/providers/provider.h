// Provider: the seam between sluice and one kind of upstream API. An adapter only translates —
// a request into an http::ClientRequest, an answer (or a failure to get one) into an Outcome —
// and never does I/O itself, so every adapter is tested without sockets. Implementations are
// immutable after construction and thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "batch/records.h"
#include "common/result.h"
#include "http/client.h"
#include "providers/upstream_answer.h"

namespace sluice::providers {

class MessagesRelay;  // providers/messages_relay.h

// Where and as whom to send: one deployment of a model.
struct Upstream {
  std::string base_url;   // "https://api.openai.com/v1"
  std::string api_key;    // secret: never logged
  std::string model;      // the provider's own model name
  std::string name = "";  // the deployment, for messages ("gpt-4o-mini#0")
};

// A request the provider cannot honour as asked (a parameter it has no equivalent for): the
// client's fault, answered with OpenAI's 400 naming `param`, and never sent.
struct Refusal {
  std::string message;               // "anthropic deployments do not support n > 1"
  std::optional<std::string> param;  // "n", "messages[2].content[0].type"; nullopt: the request
};

// What Encode makes of a request: the upstream request, or why there is none.
using Encoded = std::variant<http::ClientRequest, Refusal>;

// What became of one attempt.
struct Outcome {
  Verdict verdict = Verdict::kFail;
  Status status;                        // OK on success; why otherwise
  std::optional<Duration> retry_after;  // the provider's wait, for kRetry
  int status_code = 0;                  // 0 when no response arrived
  std::string body;  // the response body in OpenAI's shape (as received from OpenAI)
  std::string request_id;
  batch::Usage usage;  // from the body, on success
  LimitHints hints;
};

// Reads one streamed answer as it passes through to the client: what the provider reports in
// the stream (usage, limit hints) and the bytes the client gets, as OpenAI's SSE (unchanged for
// OpenAI; a translation for a provider that streams in its own events).
// Threading: one per stream, used by one coroutine.
class StreamDecoder {
 public:
  virtual ~StreamDecoder() = default;
  // Takes the next piece of the upstream body (split anywhere, even inside an event); returns
  // what to send the client for it (possibly empty).
  virtual std::string Feed(std::string_view piece) = 0;
  // The outcome once the stream is over: `ended` is OK when the upstream body ended, the
  // failure that cut it otherwise (kFail with that Status; the usage read so far is kept).
  virtual Outcome Finish(const Status& ended) = 0;
};

class Provider {
 public:
  virtual ~Provider() = default;
  // The upstream request for an OpenAI-shaped `body` sent to `endpoint_url`, or the Refusal of
  // a request this provider cannot honour.
  virtual Encoded Encode(std::string_view endpoint_url, std::string_view body) const = 0;
  // The outcome of an attempt: the response (its body translated to OpenAI's shape), or the
  // client's failure.
  virtual Outcome Decode(const Result<http::Response>& answer) const = 0;
  // A decoder for a stream whose 2xx head (`status`, `headers`) has arrived, for the
  // OpenAI-shaped `request_body` that asked for it (its model and stream_options).
  virtual std::unique_ptr<StreamDecoder> DecodeStream(int status, const http::Headers& headers,
                                                      std::string_view request_body) const = 0;
  // How this provider relays Anthropic Messages requests as they are (sluice's POST
  // /v1/messages), when its upstream speaks that API; nullptr otherwise (the caller translates
  // them to chat completions then). Owned by the provider.
  virtual const MessagesRelay* messages_relay() const { return nullptr; }
};

// The Outcome of a refused request as a batch result: a final 400 whose body is OpenAI's error
// shape with the refusal's message and param.
Outcome RefusedOutcome(const Refusal& refusal);

// The Outcome of an answer that arrived, as the one table classifies it (upstream_answer.h): the
// status, the verdict and wait from `hints`, the credentials message naming `deployment` for a
// 401/403, the request id from the header `request_id_header`, and the body as received.
Outcome AnsweredOutcome(const http::Response& response, LimitHints hints,
                        std::string_view deployment, std::string_view request_id_header);

// The Outcome of an attempt that got no answer (the http::Client's failure).
Outcome UnansweredOutcome(const Status& failure);

// What an attempt came to, in one piece of a log line: "HTTP 200 (upstream request req_…)",
// "HTTP 500 (upstream request req_…), retryable: INTERNAL: …", "no answer, retryable: …".
std::string DescribeOutcome(const Outcome& outcome);

// Reads an OpenAI-shaped `usage` object from a JSON body (a response, or one stream chunk);
// false when the body is not a JSON object. Absent fields are 0.
bool ReadUsage(std::string_view body, batch::Usage& usage);

// OpenAI and OpenAI-compatible servers.
std::unique_ptr<Provider> MakeOpenAiProvider(Upstream upstream);

struct AnthropicOptions {
  // The output cap sent when a request states none (Anthropic requires max_tokens).
  std::int64_t default_max_tokens = 4096;
  // Reads the wall time: rate-limit resets are RFC 3339 times, `created` is stamped from it.
  // Must outlive the provider.
  const Clock* clock = &SystemClock::Instance();
};

// Anthropic's Messages API, behind OpenAI's chat completions (docs/providers.md).
std::unique_ptr<Provider> MakeAnthropicProvider(Upstream upstream, AnthropicOptions options = {});

}  // namespace sluice::providers
