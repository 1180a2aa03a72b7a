// Targets: the deployments of a Config as the dispatcher's targets (a provider adapter, limits
// and timeout each), in config order. Pure; thread-safe.
#pragma once

#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "scheduler/dispatcher.h"

namespace sluice::runtime {

// kUnimplemented for a provider kind sluice cannot send to yet (anthropic).
Result<std::vector<scheduler::Target>> Targets(const config::Config& config);

// "gpt-4o-mini#0": a deployment's name in logs and metrics (never its key or URL).
std::string DeploymentName(const std::vector<scheduler::Target>& targets, std::size_t index);

}  // namespace sluice::runtime
