// BatchApi: the seam between provider mode and one provider's batch API (OpenAI's Files +
// Batches, Anthropic's Message Batches): submit lines, find a submission again, poll, fetch the
// results, cancel. Each call is one or two HTTP exchanges; nothing is retried here (the runner
// polls again). Implementations run on the http::Client's executor.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "http/client.h"
#include "http/message.h"
#include "providers/provider.h"

namespace sluice::provider_batch {

// One request of a submission: its upstream custom_id and the OpenAI-shaped request body.
struct UpstreamRequest {
  std::string custom_id;
  std::string endpoint;  // "/v1/chat/completions", ...
  std::string body;
};

enum class UpstreamState {
  kRunning,   // validating, in progress, finalizing, cancelling
  kEnded,     // results are ready (completed, expired, cancelled, ended)
  kFailed,    // the provider refused the batch as a whole (validation): no results
  kNotFound,  // the provider does not know the id (any more)
};

struct UpstreamStatus {
  UpstreamState state = UpstreamState::kRunning;
  std::string status;  // the provider's own word ("in_progress", "ended", ...)
  // kFailed: the provider's first error ("token_limit_exceeded", its message).
  std::string error_code;
  std::string error_message;
  // kEnded: where the results are (OpenAI's output and error files, Anthropic's results_url).
  std::vector<std::string> result_locations;
};

// One result line, in the OpenAI-shaped terms the rest of sluice uses.
struct UpstreamLine {
  std::string custom_id;
  // The answer, its body in the provider's own shape, when the request was executed.
  std::optional<http::Response> response;
  // When it was not executed: batch_expired, batch_cancelled.
  std::string error_code;
  std::string error_message;
};

struct UpstreamResults {
  std::vector<UpstreamLine> lines;
  std::int64_t malformed = 0;  // lines that did not parse (their requests are unaccounted for)
};

class BatchApi {
 public:
  virtual ~BatchApi() = default;
  // Creates a provider batch of `requests`, tagged with `submission_id`. Returns its id.
  virtual boost::asio::awaitable<Result<std::string>> Submit(
      std::string submission_id, std::vector<UpstreamRequest> requests) = 0;
  // The id of the provider batch tagged `submission_id`, if one was created. A provider without
  // batch metadata (Anthropic) matches on `hint`: the newest batch created at or after
  // hint.not_before with hint.requests requests, not among hint.known_ids.
  struct FindHint {
    WallTime not_before;
    std::int64_t requests = 0;
    std::vector<std::string> known_ids;
  };
  virtual boost::asio::awaitable<Result<std::optional<std::string>>> Find(std::string submission_id,
                                                                          FindHint hint) = 0;
  virtual boost::asio::awaitable<Result<UpstreamStatus>> Poll(std::string upstream_id) = 0;
  virtual boost::asio::awaitable<Result<UpstreamResults>> Fetch(UpstreamStatus ended) = 0;
  virtual boost::asio::awaitable<Status> Cancel(std::string upstream_id) = 0;
  // Decodes one executed answer as the real-time path would (OpenAI-shaped body, usage, verdict).
  virtual providers::Outcome Decode(const http::Response& response) const = 0;
};

// OpenAI's Files + Batches API at `base_url` ("https://api.openai.com/v1") with `api_key`;
// `provider` (not owned, outlives the API) decodes answers.
std::unique_ptr<BatchApi> MakeOpenAiBatchApi(http::Client& client, std::string base_url,
                                             std::string api_key,
                                             const providers::Provider& provider);

// Anthropic's Message Batches at `base_url` ("https://api.anthropic.com"); the lines are sent as
// `provider` encodes them (chat completions → Messages) and its answers decoded back.
std::unique_ptr<BatchApi> MakeAnthropicBatchApi(http::Client& client, std::string base_url,
                                                std::string api_key,
                                                const providers::Provider& provider);

}  // namespace sluice::provider_batch
