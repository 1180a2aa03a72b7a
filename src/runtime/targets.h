// Targets: the deployments of a Config as the dispatcher's targets (a provider adapter, limits
// and timeout each), in config order. Pure; thread-safe.
#pragma once

#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "scheduler/dispatcher.h"

namespace sluice::runtime {

// Anthropic deployments meter requests, input and output tokens (Accounting::kAnthropic) and
// read the wall time from `clock`, which must outlive the targets.
Result<std::vector<scheduler::Target>> Targets(const config::Config& config, const Clock& clock);

// "gpt-4o-mini#0": a deployment's name in logs and metrics (never its key or URL).
std::string DeploymentName(const std::vector<scheduler::Target>& targets, std::size_t index);

}  // namespace sluice::runtime
