// DecideMode: the mode a batch runs in, decided once when it starts — as asked, or for `auto`
// the choice of cost::ChooseMode from its window, the deployments' real-time capacity and the
// prices in each mode (PlanDryRun's figures). Pure; thread-safe.
#pragma once

#include "api/batch_mode.h"
#include "batch/ingest.h"
#include "config/config.h"
#include "provider_batch/provider_batch_runner.h"
#include "runtime/dry_run_plan.h"
#include "scheduler/dispatcher.h"

namespace sluice::runtime {

struct ModeRequest {
  config::BatchMode requested = config::BatchMode::kAuto;
  Duration window{};            // the batch's completion window: its deadline is now + window
  WallTime now{};
  ThroughputOf throughput = {};  // real-time capacity now; empty: the configured limits
};

// `report` is the validated file's; the decision's deadline is now + window.
api::ModeDecision DecideMode(const config::Config& config, const batch::IngestReport& report,
                             const ModeRequest& request);

// The deadline `at` of a provider-mode batch for ProviderBatchRunner: real time at
// `throughput` (empty: the configured limits), the config's move_margin.
provider_batch::BatchDeadline DeadlineOf(const config::Config& config, WallTime at,
                                         ThroughputOf throughput);

// `model`'s real-time capacity as `dispatcher`'s limiters believe it now: the configured limits,
// or what the provider's headers have told them since. On the dispatcher's io executor.
cost::Throughput LimiterThroughput(const scheduler::Dispatcher& dispatcher,
                                   const std::string& model);

}  // namespace sluice::runtime
