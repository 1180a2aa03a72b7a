// A dry run's figures for a validated batch file: what it costs and how long it takes in each
// mode — real time at list price and at the configured limits (the least time their budgets
// allow), the provider's batch API at its batch discount and up to its batch window — and the
// mode `auto` would choose (cost::ChooseMode, fed the same time estimate). Sends nothing.
// Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "batch/ingest.h"
#include "config/config.h"
#include "cost/mode_choice.h"

namespace sluice::runtime {

struct ModeFigures {
  bool available = true;           // provider mode: every model's provider has a batch API
  std::optional<double> cost_usd;  // at most (every output cap used); unset: a price is unknown
  Duration duration{};             // realtime: at the limits; provider: up to its batch window
  std::string note;                // how the time was found, or why the mode is unavailable
};

struct DryRunPlan {
  ModeFigures realtime;
  ModeFigures provider;
  cost::ModeChoice choice;                   // what `auto` would do
  std::vector<std::string> unpriced_models;  // the file's models whose price is unknown
};

// One deployment's limits per minute (0: learned, or not metered).
struct DeploymentRate {
  bool anthropic = false;  // meters input tokens (itpm) instead of prompt + output caps (tpm)
  std::int64_t rpm = 0;
  std::int64_t tpm = 0;
  std::int64_t itpm = 0;
};
// The capacity of a model's deployments together: their limits summed; a budget one of them
// leaves unknown (0) or does not meter is 0 (it does not bound the time).
cost::Throughput SumThroughput(const std::vector<DeploymentRate>& deployments);

// The configured real-time capacity of `model`: its deployments' limits summed. A budget some
// deployment leaves to be learned (0), or does not meter, is 0 (it does not bound the time).
cost::Throughput ConfiguredThroughput(const config::Config& config, const std::string& model);

// A model's real-time capacity now; an empty function stands for ConfiguredThroughput.
using ThroughputOf = std::function<cost::Throughput(const std::string& model)>;

// The least time the limits allow for `report`'s requests: cost::RealtimeDuration of each
// model's requests at `throughput` (empty: ConfiguredThroughput); the slowest model decides.
Duration MinimumDuration(const config::Config& config, const batch::IngestReport& report,
                         const ThroughputOf& throughput = {});

// The figures of `report`'s file for a batch with `time_left` until its deadline, real time at
// `throughput` (empty: the configured limits).
DryRunPlan PlanDryRun(const config::Config& config, const batch::IngestReport& report,
                      Duration time_left, const ThroughputOf& throughput = {});

// {"requests", "prompt_tokens", "max_output_tokens", "modes": {"realtime": {...}, "provider":
// {...}}, "auto": {"mode", "reasons"}} as the Batch object's sluice.dry_run carries it.
boost::json::object DryRunJson(const batch::IngestReport& report, const DryRunPlan& plan);

}  // namespace sluice::runtime
