// BuildMessagesAnswer: the successful answer to a parsed Messages request as Anthropic sends it —
// a message with a text (or forced tool_use) block, stop_reason and usage with cache reads and
// writes, whole or as Anthropic's SSE events (message_start … message_stop). Pure apart from the
// latency model's seeded jitter; thread-compatible.
#pragma once

#include <cstdint>
#include <string>

#include "mock/latency_model.h"
#include "mock/messages_request.h"
#include "mock/reply.h"

namespace sluice::mock {

// The input side of `usage`: three disjoint counts, as Anthropic reports them.
struct MessagesInput {
  std::int64_t input_tokens = 0;  // after the last cache breakpoint, or all when nothing cached
  std::int64_t cache_creation_input_tokens = 0;
  std::int64_t cache_read_input_tokens = 0;
};

struct MessagesContext {
  std::uint64_t seed = 0;
  std::uint64_t body_hash = 0;  // BodyHash of the request body (names the answer: "mock:<hex>")
  std::string id;               // "msg_…"
  std::string tool_use_id;      // "toolu_…", for a forced tool
  MessagesInput input;
  bool malformed = false;  // fault: cut the JSON body (or one stream event) in half
};

struct MessagesAnswer {
  Reply reply;  // content-type set; the caller adds the remaining headers
  std::int64_t output_tokens = 0;
};

MessagesAnswer BuildMessagesAnswer(const MessagesRequest& request, const MessagesContext& context,
                                   LatencyModel& latency);

}  // namespace sluice::mock
