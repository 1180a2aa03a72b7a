#include "runtime/deployment_health.h"

namespace sluice::runtime {

std::string_view BudgetLabel(ratelimit::Budget budget) {
  switch (budget) {
    case ratelimit::Budget::kRequests:
      return "requests";
    case ratelimit::Budget::kTokens:
      return "tokens";
    case ratelimit::Budget::kInputTokens:
      return "input_tokens";
    case ratelimit::Budget::kOutputTokens:
      return "output_tokens";
  }
  return "requests";
}

metrics::DeploymentHealth Health(const scheduler::Planner& planner, int deployment, TimePoint now) {
  metrics::DeploymentHealth health;
  health.breaker_state = router::BreakerStateName(planner.breaker(deployment).State(now));
  if (auto mean = planner.latency(deployment).mean()) {
    health.latency_ewma_seconds = std::chrono::duration<double>(*mean).count();
  }
  const ratelimit::DeploymentLimiter& limiter = planner.limiter(deployment);
  for (ratelimit::Budget budget : ratelimit::kAllBudgets) {
    if (auto available = limiter.Available(budget, now)) {
      health.available.emplace_back(BudgetLabel(budget), *available);
    }
  }
  return health;
}

}  // namespace sluice::runtime
