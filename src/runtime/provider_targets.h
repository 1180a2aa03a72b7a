// ProviderTargets: where provider mode sends each configured model's lines — the model's first
// deployment whose provider has a batch API (openai, anthropic), its batch API client, the
// model's prices at the provider's batch discount (the shipped price table's; half price when
// the table does not say), and the provider's limits lowered by provider_batches:.
// Built on the event loop that runs the runner; `client` and `targets` must outlive the result.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "http/client.h"
#include "provider_batch/provider_batch_runner.h"
#include "scheduler/dispatcher.h"

namespace sluice::runtime {

// `targets`: Targets(config) (their provider adapters encode and decode the lines). A model
// with no such deployment is left out (its lines are refused when the runner starts).
std::map<std::string, provider_batch::ProviderTarget> ProviderTargets(
    const config::Config& config, const std::vector<scheduler::Target>& targets,
    http::Client& client);

}  // namespace sluice::runtime
