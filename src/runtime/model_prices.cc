#include "runtime/model_prices.h"

#include "cost/price_table.h"

namespace sluice::runtime {

std::optional<ModelPricing> PricesOf(const config::ModelConfig& model) {
  if (model.prices) return ModelPricing{*model.prices, "config"};
  if (model.deployments.empty()) return std::nullopt;
  const config::DeploymentConfig& first = model.deployments.front();
  const std::string& provider_model = first.model.empty() ? model.name : first.model;
  const cost::ModelPrices* shipped = cost::PriceTable::Shipped().Find(
      config::ProviderKindName(first.provider), provider_model);
  if (shipped == nullptr) return std::nullopt;
  return ModelPricing{shipped->prices, shipped->id};
}

std::optional<ModelPricing> PricesOf(const config::Config& config, const std::string& name) {
  for (const config::ModelConfig& model : config.models) {
    if (model.name == name) return PricesOf(model);
  }
  return std::nullopt;
}

std::optional<double> BatchDiscountOf(const config::Config& config, const std::string& name) {
  for (const config::ModelConfig& model : config.models) {
    if (model.name != name || model.deployments.empty()) continue;
    config::ProviderKind provider = model.deployments.front().provider;
    if (provider == config::ProviderKind::kOpenAiCompatible) return std::nullopt;
    return cost::PriceTable::Shipped().BatchDiscount(config::ProviderKindName(provider));
  }
  return std::nullopt;
}

}  // namespace sluice::runtime
