// Submissions: what provider mode has handed to providers' batch APIs for one sluice batch — one
// Submission per provider batch, with the lines it carries — kept in the batch's data (key
// "provider_batches") and saved before each step that the provider cannot undo, so a restart
// resumes polling the same provider batches and never sends a line twice. Pure; value types.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace sluice::provider_batch {

// Ascending, disjoint [first, last] runs of item indices: a batch's lines go out in index
// order, so a submission of 50,000 lines is usually one run.
using IndexRuns = std::vector<std::pair<std::int64_t, std::int64_t>>;

IndexRuns RunsOf(std::vector<std::int64_t> indices);
std::vector<std::int64_t> IndicesOf(const IndexRuns& runs);
bool Contains(const IndexRuns& runs, std::int64_t index);

struct Submission {
  // "<sluice batch id>-<n>": also the provider batch's metadata.sluice_submission, which finds
  // the provider batch again when sluice stopped between creating it and saving its id.
  std::string id;
  std::string model;            // the configured model its lines ask for
  std::int64_t deployment = 0;  // index among the model's deployments
  IndexRuns lines;
  std::int64_t estimated_tokens = 0;  // the lines' admission estimates (enqueued tokens)
  std::string input_file_id;          // OpenAI: the uploaded file; empty until uploaded
  std::string upstream_id;            // the provider's batch id; empty until created
  std::int64_t created_at_ms = 0;     // Unix ms when it was first recorded (for max_wait)
  bool open = true;                   // false once its lines have results or were put back
  // Why sluice cancelled it upstream, if it did: "cancelled" (the batch was cancelled) or
  // "timed_out" (max_wait passed).
  std::string cancelled;
};

struct ProviderBatchState {
  std::vector<Submission> submissions;

  // How many submissions (open or not) carried `index`.
  std::int64_t TimesSent(std::int64_t index) const;
  // True when an open submission carries `index`.
  bool InFlight(std::int64_t index) const;
  // The next submission id for `batch_id`.
  std::string NextId(const std::string& batch_id) const;
};

// The key of the state in a batch's data: clients never see it (api::ClientView).
inline constexpr std::string_view kStateKey = "provider_batches";

// The state as the JSON value kept under kStateKey, and back (kInvalidArgument when malformed).
boost::json::value StateToJson(const ProviderBatchState& state);
Result<ProviderBatchState> StateFromJson(const boost::json::value& value);

// The state in a batch's data JSON ("{}" or an object; other keys are left alone). A data
// without the key is an empty state; kInvalidArgument when the key is there and malformed.
Result<ProviderBatchState> ReadState(const std::string& data);
// `data` with the key replaced by `state`.
std::string WriteState(const std::string& data, const ProviderBatchState& state);

}  // namespace sluice::provider_batch
