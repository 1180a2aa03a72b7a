// The wire of Anthropic's Message Batches as provider mode speaks it: the create body, the
// message_batch object, a page of batches, and the results' JSONL (WIRE.md §5.3). Pure
// functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "provider_batch/batch_api.h"

namespace sluice::provider_batch {

// {"requests":[{"custom_id","params"}]}, each `body` (a Messages request) as the params.
std::string MessageBatchBody(const std::vector<UpstreamRequest>& requests);

// A message_batch object's id and what its processing_status means for provider mode.
struct MessageBatch {
  std::string id;
  std::string created_at;     // RFC 3339, as Anthropic writes it
  std::int64_t requests = 0;  // the sum of request_counts
  UpstreamStatus status;
};
Result<MessageBatch> ParseMessageBatch(std::string_view body);

// In a page of GET /v1/messages/batches: the newest batch created at or after `not_before`
// (RFC 3339, compared to the second) with `requests` requests and an id not in `known_ids`.
Result<std::optional<std::string>> FindInMessageBatchPage(
    std::string_view body, std::string_view not_before, std::int64_t requests,
    const std::vector<std::string>& known_ids);

// Adds the results' lines to `results`: succeeded as a 200 answer (the message), errored as an
// answer with the status Anthropic uses for the error's type (its error envelope as the body),
// canceled as batch_cancelled and expired as batch_expired.
void ParseMessageBatchResults(std::string_view jsonl, UpstreamResults& results);

// The HTTP status Anthropic answers an error `type` with ("rate_limit_error" -> 429); 500 for
// a type it does not know.
int StatusOfAnthropicError(std::string_view type);

// `time` as RFC 3339 to the second ("2026-12-07T15:58:23Z").
std::string Rfc3339Seconds(WallTime time);

}  // namespace sluice::provider_batch
