#include "runtime/provider_targets.h"

#include "cost/price_table.h"

namespace sluice::runtime {
namespace {

// Each provider's limits on one batch (WIRE.md §2.10, §5.3).
constexpr std::int64_t kOpenAiLines = 50'000;
constexpr std::int64_t kOpenAiBytes = 200'000'000;
constexpr std::int64_t kAnthropicRequests = 100'000;
constexpr std::int64_t kAnthropicBytes = 256'000'000;

std::int64_t Lowered(std::int64_t provider_limit, std::int64_t configured) {
  return configured > 0 ? std::min(provider_limit, configured) : provider_limit;
}

}  // namespace

std::map<std::string, provider_batch::ProviderTarget> ProviderTargets(
    const config::Config& config, const std::vector<scheduler::Target>& targets,
    http::Client& client) {
  std::map<std::string, provider_batch::ProviderTarget> out;
  std::size_t first = 0;  // the model's first target
  for (const config::ModelConfig& model : config.models) {
    for (std::size_t i = 0; i < model.deployments.size(); ++i) {
      const config::DeploymentConfig& d = model.deployments[i];
      // openai-compatible servers have no batch API to count on.
      bool anthropic = d.provider == config::ProviderKind::kAnthropic;
      if (d.provider != config::ProviderKind::kOpenAi && !anthropic) continue;
      if (first + i >= targets.size()) break;
      const scheduler::Target& target = targets[first + i];
      provider_batch::ProviderTarget p;
      p.deployment = static_cast<std::int64_t>(i);
      p.provider = target.provider;
      p.api = anthropic ? provider_batch::MakeAnthropicBatchApi(client, d.base_url, d.api_key,
                                                                *target.provider)
                        : provider_batch::MakeOpenAiBatchApi(client, d.base_url, d.api_key,
                                                             *target.provider);
      p.max_lines =
          Lowered(anthropic ? kAnthropicRequests : kOpenAiLines, config.provider_batches.max_lines);
      p.max_bytes =
          Lowered(anthropic ? kAnthropicBytes : kOpenAiBytes, config.provider_batches.max_bytes);
      double share = cost::PriceTable::Shipped()
                         .BatchDiscount(config::ProviderKindName(d.provider))
                         .value_or(0.5);
      if (target.prices) p.prices = provider_batch::Discounted(*target.prices, share);
      out.emplace(model.name, std::move(p));
      break;
    }
    first += model.deployments.size();
  }
  return out;
}

}  // namespace sluice::runtime
