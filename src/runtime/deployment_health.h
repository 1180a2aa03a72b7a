// DeploymentHealth: one deployment's standing as /metrics shows it (breaker state, latency EWMA,
// what each metered budget could grant now), read from the scheduler's planner. Pure; call it
// where the planner lives (the io executor).
#pragma once

#include "metrics/metrics.h"
#include "scheduler/planner.h"

namespace sluice::runtime {

// "requests", "tokens", "input_tokens", "output_tokens": the budget label of /metrics.
std::string_view BudgetLabel(ratelimit::Budget budget);

metrics::DeploymentHealth Health(const scheduler::Planner& planner, int deployment, TimePoint now);

}  // namespace sluice::runtime
