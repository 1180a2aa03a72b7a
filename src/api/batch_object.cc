#include "api/batch_object.h"

#include <boost/json.hpp>

namespace sluice::api {
namespace {

std::int64_t Seconds(WallTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

boost::json::object MakeBatchObject(const NewBatch& batch) {
  boost::json::object o;
  o["id"] = batch.id;
  o["object"] = "batch";
  o["endpoint"] = batch.endpoint;
  o["errors"] = nullptr;
  o["input_file_id"] = batch.input_file_id;
  o["completion_window"] = batch.completion_window;
  o["status"] = kValidating;
  o["output_file_id"] = nullptr;
  o["error_file_id"] = nullptr;
  o["created_at"] = Seconds(batch.created_at);
  for (std::string_view field : {"in_progress_at", "finalizing_at", "completed_at", "failed_at",
                                 "expired_at", "cancelling_at", "cancelled_at"}) {
    o[field] = nullptr;
  }
  o["expires_at"] = Seconds(batch.expires_at);
  SetResults(o, 0, {});
  o["metadata"] = batch.metadata;
  return o;
}

bool IsTerminal(std::string_view status) {
  return status == kFailed || status == kCompleted || status == kExpired || status == kCancelled;
}

void Transition(boost::json::object& batch, std::string_view status, WallTime now) {
  batch["status"] = status;
  if (status == kValidating) return;
  std::string field = std::string(status) + "_at";
  if (batch[field].is_null()) batch[field] = Seconds(now);
}

std::string_view StatusOf(const boost::json::object& batch) {
  const boost::json::value* status = batch.if_contains("status");
  return status != nullptr && status->is_string() ? std::string_view(status->get_string())
                                                  : std::string_view();
}

void SetRequestCounts(boost::json::object& batch, std::int64_t total, std::int64_t completed,
                      std::int64_t failed) {
  batch["request_counts"] =
      boost::json::object{{"total", total}, {"completed", completed}, {"failed", failed}};
}

void SetResults(boost::json::object& batch, std::int64_t total,
                const batch::ResultTally& results) {
  SetRequestCounts(batch, total, results.succeeded, results.failed);
  const batch::Usage& usage = results.usage;
  batch["usage"] = boost::json::object{
      {"input_tokens", usage.prompt_tokens},
      {"input_tokens_details", boost::json::object{{"cached_tokens", usage.cached_tokens}}},
      {"output_tokens", usage.completion_tokens},
      {"output_tokens_details", boost::json::object{{"reasoning_tokens", usage.reasoning_tokens}}},
      {"total_tokens", usage.total_tokens}};
  double spent = static_cast<double>(results.cost_nanousd) / 1e9;
  std::int64_t done = results.succeeded + results.failed;
  boost::json::value estimate = nullptr;
  if (done > 0 && results.unpriced == 0) {
    estimate = spent * static_cast<double>(total) / static_cast<double>(done);
  }
  boost::json::object failures;
  for (const auto& [code, count] : results.failures) failures[code] = count;
  // Replaces the counts, keeps the rest (the batch's mode, budget).
  boost::json::value& sluice = batch["sluice"];
  if (!sluice.is_object()) sluice = boost::json::object();
  sluice.as_object()["cost"] = boost::json::object{{"spent_usd", spent},
                                                   {"estimated_total_usd", std::move(estimate)},
                                                   {"unpriced_results", results.unpriced}};
  sluice.as_object()["failures"] = std::move(failures);
  sluice.as_object()["dedup"] =
      boost::json::object{{"requests_saved", results.deduplicated},
                          {"saved_usd", static_cast<double>(results.saved_nanousd) / 1e9}};
}

void SetErrors(boost::json::object& batch, const std::vector<batch::LineError>& errors) {
  boost::json::array data;
  for (const batch::LineError& e : errors) {
    boost::json::object error{{"code", e.code}, {"message", e.message}, {"param", nullptr}};
    if (e.param) error["param"] = *e.param;
    error["line"] = e.line > 0 ? boost::json::value(e.line) : boost::json::value(nullptr);
    data.push_back(std::move(error));
  }
  batch["errors"] = boost::json::object{{"object", "list"}, {"data", std::move(data)}};
}

void SetFiles(boost::json::object& batch, const std::string& output_file_id,
              const std::string& error_file_id) {
  auto id = [](const std::string& s) {
    return s.empty() ? boost::json::value(nullptr) : boost::json::value(s);
  };
  batch["output_file_id"] = id(output_file_id);
  batch["error_file_id"] = id(error_file_id);
}

std::string StringField(const boost::json::object& batch, std::string_view name) {
  const boost::json::value* v = batch.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t IntField(const boost::json::object& batch, std::string_view name) {
  const boost::json::value* v = batch.if_contains(name);
  return v != nullptr && v->is_int64() ? v->get_int64() : 0;
}

}  // namespace sluice::api
