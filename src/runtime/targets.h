// Targets: the deployments of a Config as the dispatcher's targets (a provider adapter, limits
// and timeout each), in config order, and the other tables the engine takes from the models
// (fallbacks, aliases' encodings). Pure; thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "scheduler/dispatcher.h"

namespace sluice::runtime {

// Anthropic deployments meter requests, input and output tokens (Accounting::kAnthropic) and
// read the wall time from `clock`, which must outlive the targets.
Result<std::vector<scheduler::Target>> Targets(const config::Config& config, const Clock& clock);

// The config's fallbacks as the engine's table (batch items and the proxy).
scheduler::Fallbacks FallbacksOf(const config::Config& config);

// Model names whose requests are counted with another model's encoding: each model whose first
// deployment's provider model has another name (an alias, "fast" -> "gpt-4o-mini"), for
// tokens::EstimateOptions::counted_as. A model whose deployments name different provider models
// is counted as its first deployment's.
std::shared_ptr<const std::map<std::string, std::string, std::less<>>> CountedAs(
    const config::Config& config);

// "gpt-4o-mini#0": a deployment's name in logs and metrics (never its key or URL).
std::string DeploymentName(const std::vector<scheduler::Target>& targets, std::size_t index);

}  // namespace sluice::runtime
