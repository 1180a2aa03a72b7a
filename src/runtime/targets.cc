#include "runtime/targets.h"

#include "runtime/model_prices.h"

namespace sluice::runtime {

Result<std::vector<scheduler::Target>> Targets(const config::Config& config, const Clock& clock) {
  std::vector<scheduler::Target> targets;
  for (const config::ModelConfig& model : config.models) {
    for (std::size_t i = 0; i < model.deployments.size(); ++i) {
      const config::DeploymentConfig& d = model.deployments[i];
      ratelimit::LimiterOptions limits;
      limits.name = model.name + "#" + std::to_string(i);  // as DeploymentName
      limits.rpm = d.rpm;
      limits.max_in_flight = static_cast<int>(d.max_in_flight);
      providers::Upstream upstream{d.base_url, d.api_key, d.model, limits.name};
      std::shared_ptr<const providers::Provider> provider;
      if (d.provider == config::ProviderKind::kAnthropic) {
        limits.accounting = ratelimit::Accounting::kAnthropic;
        limits.input_tpm = d.itpm;
        limits.output_tpm = d.otpm;
        provider = providers::MakeAnthropicProvider(
            std::move(upstream), {.default_max_tokens = d.max_tokens, .clock = &clock});
      } else {
        limits.tpm = d.tpm;
        provider = providers::MakeOpenAiProvider(std::move(upstream));
      }
      scheduler::DeploymentRouting routing{.weight = static_cast<int>(d.weight),
                                           .priority = static_cast<int>(d.priority),
                                           .price = 0,
                                           .breaker = d.breaker};
      if (auto prices = d.prices ? d.prices : model.prices) {
        routing.price = prices->input + prices->output;
      }
      std::optional<cost::Prices> prices;
      if (auto priced = PricesOf(model)) prices = priced->prices;
      targets.push_back({model.name, std::move(provider), std::move(limits), d.timeout, routing,
                         model.routing, prices});
    }
  }
  return targets;
}

scheduler::Fallbacks FallbacksOf(const config::Config& config) {
  std::map<std::string, std::vector<scheduler::FallbackRoute>, std::less<>> routes;
  for (const config::ModelConfig& model : config.models) {
    for (const config::FallbackConfig& f : model.fallbacks) {
      routes[model.name].push_back({f.model, f.on});
    }
  }
  return scheduler::Fallbacks(std::move(routes));
}

std::shared_ptr<const std::map<std::string, std::string, std::less<>>> CountedAs(
    const config::Config& config) {
  auto aliases = std::make_shared<std::map<std::string, std::string, std::less<>>>();
  for (const config::ModelConfig& model : config.models) {
    if (model.deployments.empty() || model.deployments[0].model == model.name) continue;
    aliases->emplace(model.name, model.deployments[0].model);
  }
  return aliases;
}

std::string DeploymentName(const std::vector<scheduler::Target>& targets, std::size_t index) {
  std::size_t ordinal = 0;
  for (std::size_t i = 0; i < index; ++i) ordinal += targets[i].model == targets[index].model;
  return targets[index].model + "#" + std::to_string(ordinal);
}

}  // namespace sluice::runtime
