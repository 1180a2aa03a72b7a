// BuildAnswer: the successful answer to a parsed request — generated text or vectors, usage,
// latency, and for streams the SSE events — as a Reply. Pure apart from the latency model's
// seeded jitter; thread-compatible.
#pragma once

#include <cstdint>
#include <string>

#include "mock/latency_model.h"
#include "mock/mock_request.h"
#include "mock/reply.h"

namespace sluice::mock {

struct AnswerContext {
  std::uint64_t seed = 0;
  std::uint64_t body_hash = 0;  // BodyHash of the request body
  std::string id;               // "chatcmpl-…" or "cmpl-…" (unused for embeddings)
  std::int64_t created = 0;     // Unix seconds
  std::int64_t default_dimensions = 1536;
  bool malformed = false;  // fault: cut the JSON body (or one stream event) in half
};

// A 200 Reply for `request` with content-type set (application/json or text/event-stream);
// the caller adds the remaining headers. Reply::delay covers time to first byte, and for
// non-streamed answers also the generation time; stream events carry their own delays.
Reply BuildAnswer(const MockRequest& request, const AnswerContext& context, LatencyModel& latency);

}  // namespace sluice::mock
