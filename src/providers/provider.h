// Provider: the seam between sluice and one kind of upstream API. An adapter only translates —
// a request into an http::ClientRequest, an answer (or a failure to get one) into an Outcome —
// and never does I/O itself, so every adapter is tested without sockets. Implementations are
// immutable after construction and thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "batch/records.h"
#include "common/result.h"
#include "http/client.h"
#include "providers/upstream_answer.h"

namespace sluice::providers {

// Where and as whom to send: one deployment of a model.
struct Upstream {
  std::string base_url;  // "https://api.openai.com/v1"
  std::string api_key;   // secret: never logged
  std::string model;     // the provider's own model name
  std::string name = "";  // the deployment, for messages ("gpt-4o-mini#0")
};

// What became of one attempt.
struct Outcome {
  Verdict verdict = Verdict::kFail;
  Status status;                        // OK on success; why otherwise
  std::optional<Duration> retry_after;  // the provider's wait, for kRetry
  int status_code = 0;                  // 0 when no response arrived
  std::string body;                     // the response body, as received
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
  // The upstream request for an OpenAI-shaped `body` sent to `endpoint_url`.
  virtual http::ClientRequest Encode(std::string_view endpoint_url,
                                     std::string_view body) const = 0;
  // The outcome of an attempt: the response, or the client's failure.
  virtual Outcome Decode(const Result<http::Response>& answer) const = 0;
  // A decoder for a stream whose 2xx head (`status`, `headers`) has arrived.
  virtual std::unique_ptr<StreamDecoder> DecodeStream(int status,
                                                      const http::Headers& headers) const = 0;
};

// Reads an OpenAI-shaped `usage` object from a JSON body (a response, or one stream chunk);
// false when the body is not a JSON object. Absent fields are 0.
bool ReadUsage(std::string_view body, batch::Usage& usage);

// OpenAI and OpenAI-compatible servers.
std::unique_ptr<Provider> MakeOpenAiProvider(Upstream upstream);

}  // namespace sluice::providers
