#include "runtime/run_mode.h"

#include <boost/json.hpp>

#include "runtime/dry_run_plan.h"
#include "runtime/mode_decision.h"

namespace sluice::runtime {
namespace json = boost::json;
namespace {

json::object DataOf(const std::string& data) {
  boost::system::error_code ec;
  json::value root = json::parse(data.empty() ? std::string_view("{}") : data, ec);
  return !ec && root.is_object() ? std::move(root.as_object()) : json::object();
}

bool AnyOpen(const std::string& data) {
  Result<provider_batch::ProviderBatchState> state = provider_batch::ReadState(data);
  if (!state.ok()) return false;
  for (const auto& s : state->submissions) {
    if (s.open) return true;
  }
  return false;
}

}  // namespace

api::ModeDecision ModeForRun(const config::Config& config, const RunModeRequest& request,
                             const batch::BatchRecord& record, const batch::IngestReport& ingest) {
  config::BatchMode requested = request.mode.value_or(config.batch_mode);
  std::optional<api::ModeDecision> kept = ModeDecisionIn(record.data);
  bool open = AnyOpen(record.data);
  if (kept && (kept->requested == requested || open)) return *kept;
  if (open) {
    api::ModeDecision stay{requested, config::BatchMode::kProvider, {}, request.now,
                           request.now + std::chrono::duration_cast<WallTime::duration>(
                                             request.window)};
    stay.reasons = {"its provider batches are still open: it stays in provider mode"};
    return stay;
  }
  return DecideMode(config, ingest, {requested, request.window, request.now, {}});
}

std::optional<api::ModeDecision> ModeDecisionIn(const std::string& data) {
  return api::ModeDecisionOf(DataOf(data));
}

std::string WithModeDecision(const std::string& data, const api::ModeDecision& decision) {
  json::object root = DataOf(data);
  api::SetModeDecision(root, decision);
  return json::serialize(root);
}

}  // namespace sluice::runtime
