// The prices of a configured model: its `prices:` from the config when set, else the shipped
// table's (cost::PriceTable::Shipped) for its first deployment's provider and provider model name.
// openai-compatible deployments have no shipped prices: their servers are priced by their owners.
// Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "config/config.h"
#include "cost/prices.h"

namespace sluice::runtime {

struct ModelPricing {
  cost::Prices prices;
  std::string source;  // "config", or the shipped table's model id ("claude-sonnet-4-5")
};

// nullopt: the price of `model` is unknown.
std::optional<ModelPricing> PricesOf(const config::ModelConfig& model);

// PricesOf the model named `name`; nullopt also when no model has that name.
std::optional<ModelPricing> PricesOf(const config::Config& config, const std::string& name);

// The share of its price the provider's batch API bills for the model named `name` (its first
// deployment's provider, from the shipped table: 0.5 for openai and anthropic); nullopt when that
// provider has no batch API (openai-compatible servers) or no model has that name.
std::optional<double> BatchDiscountOf(const config::Config& config, const std::string& name);

}  // namespace sluice::runtime
