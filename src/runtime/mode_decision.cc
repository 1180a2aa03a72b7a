#include "runtime/mode_decision.h"

namespace sluice::runtime {

api::ModeDecision DecideMode(const config::Config& config, const batch::IngestReport& report,
                             const ModeRequest& request) {
  api::ModeDecision decision;
  decision.requested = request.requested;
  decision.decided_at = request.now;
  decision.deadline =
      request.now + std::chrono::duration_cast<WallTime::duration>(request.window);
  if (request.requested != config::BatchMode::kAuto) {
    decision.chosen = request.requested;
    decision.reasons = {"asked for"};
    return decision;
  }
  DryRunPlan plan = PlanDryRun(config, report, request.window, request.throughput);
  decision.chosen = plan.choice.mode == cost::Mode::kProvider ? config::BatchMode::kProvider
                                                               : config::BatchMode::kRealtime;
  decision.reasons = std::move(plan.choice.reasons);
  return decision;
}

provider_batch::BatchDeadline DeadlineOf(const config::Config& config, WallTime at,
                                         ThroughputOf throughput) {
  provider_batch::BatchDeadline deadline;
  deadline.at = at;
  deadline.throughput = std::move(throughput);
  if (!deadline.throughput) {
    deadline.throughput = [&config](const std::string& model) {
      return ConfiguredThroughput(config, model);
    };
  }
  deadline.late.margin = config.provider_batches.move_margin;
  return deadline;
}

cost::Throughput LimiterThroughput(const scheduler::Dispatcher& dispatcher,
                                   const std::string& model) {
  std::vector<DeploymentRate> rates;
  const std::vector<scheduler::Target>& targets = dispatcher.targets();
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (targets[i].model != model) continue;
    const ratelimit::LimiterOptions& believed =
        dispatcher.planner().limiter(static_cast<int>(i)).options();
    bool anthropic = believed.accounting == ratelimit::Accounting::kAnthropic;
    rates.push_back({anthropic, believed.rpm, believed.tpm, believed.input_tpm});
  }
  return SumThroughput(rates);
}

}  // namespace sluice::runtime
