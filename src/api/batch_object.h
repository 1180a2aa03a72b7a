// The OpenAI Batch object (WIRE.md §2.2) as sluice keeps it: a JSON object with every field
// present (null when unset), changed by the lifecycle's transitions. The object is what the store
// keeps in BatchRecord::data and what GET /v1/batches/{id} returns. Pure; thread-compatible.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "batch/records.h"
#include "batch/request_line.h"
#include "common/clock.h"

namespace sluice::api {

struct NewBatch {
  std::string id;
  std::string input_file_id;
  std::string endpoint;
  std::string completion_window;  // as sent: "24h", "1h", "30m"
  boost::json::value metadata;    // an object, or null
  WallTime created_at;
  WallTime expires_at;
};

boost::json::object MakeBatchObject(const NewBatch& batch);

// The lifecycle's states (WIRE.md §2.3).
inline constexpr std::string_view kValidating = "validating";
inline constexpr std::string_view kFailed = "failed";
inline constexpr std::string_view kInProgress = "in_progress";
inline constexpr std::string_view kFinalizing = "finalizing";
inline constexpr std::string_view kCompleted = "completed";
inline constexpr std::string_view kExpired = "expired";
inline constexpr std::string_view kCancelling = "cancelling";
inline constexpr std::string_view kCancelled = "cancelled";

bool IsTerminal(std::string_view status);

// Moves to `status` and sets its timestamp ("<status>_at", e.g. in_progress_at) to `now` unless it
// is set already (timestamps are set once, never cleared).
void Transition(boost::json::object& batch, std::string_view status, WallTime now);
std::string_view StatusOf(const boost::json::object& batch);

void SetRequestCounts(boost::json::object& batch, std::int64_t total, std::int64_t completed,
                      std::int64_t failed);
// What the batch's `results` add up to, out of `total` lines: request_counts; usage as OpenAI's
// Batch object has it (input_tokens with input_tokens_details.cached_tokens, output_tokens with
// output_tokens_details.reasoning_tokens, total_tokens); and sluice's own
//   "sluice": {"cost": {"spent_usd", "estimated_total_usd", "unpriced_results"},
//              "failures": {"<code>": n, ...},
//              "dedup": {"requests_saved", "saved_usd"}}
// (the API adds "tenant", the batch's owner, when it shows a batch)
// where spent_usd sums the priced results, estimated_total_usd projects the cost per line done
// onto every line (null before the first line, or while any result is unpriced), and failures
// counts failed lines by batch::FailureCodeOf. Usage and spent_usd count what the provider billed:
// a line answered with an identical line's answer (dedup) is in request_counts and in
// dedup.requests_saved, its would-be cost in dedup.saved_usd, its tokens nowhere.
void SetResults(boost::json::object& batch, std::int64_t total, const batch::ResultTally& results);
// errors: {"object":"list","data":[{code,message,param,line}, ...]}.
void SetErrors(boost::json::object& batch, const std::vector<batch::LineError>& errors);
void SetFiles(boost::json::object& batch, const std::string& output_file_id,
              const std::string& error_file_id);  // empty: null

// A field's string value; empty when absent or not a string.
std::string StringField(const boost::json::object& batch, std::string_view name);
// An integer field (Unix seconds); 0 when absent or null.
std::int64_t IntField(const boost::json::object& batch, std::string_view name);

}  // namespace sluice::api
