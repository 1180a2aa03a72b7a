#include "config/routing_reader.h"

#include <cstdlib>
#include <string>

namespace sluice::config {
namespace {

// A ratio in (0, 1] at `key`, if present and valid.
std::optional<double> ReadRatio(YamlReader& r, const YAML::Node& node, std::string_view key) {
  auto text = r.String(node, key, Need::kOptional, "breaker");
  if (!text) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(text->text.c_str(), &end);
  if (text->text.empty() || end != text->text.c_str() + text->text.size() || !(value > 0) ||
      value > 1) {
    r.Problem(text->mark, std::string(key) + ": expected a share above 0 and at most 1 such as " +
                              "0.5, got '" + text->text + "'");
    return std::nullopt;
  }
  return value;
}

}  // namespace

router::BreakerOptions ReadBreaker(YamlReader& r, const YAML::Node& node,
                                   const router::BreakerOptions& defaults) {
  router::BreakerOptions breaker = defaults;
  std::optional<YAML::Node> map = r.Child(node, "breaker");
  if (!map || !r.CheckMap(*map, "breaker",
                          {"consecutive_failures", "failure_ratio", "min_requests", "window",
                           "cooldown"})) {
    return breaker;
  }
  if (auto n = r.PositiveInt(*map, "consecutive_failures", Need::kOptional, "breaker")) {
    breaker.consecutive_failures = static_cast<int>(std::min<std::int64_t>(*n, 1'000'000));
  }
  if (auto ratio = ReadRatio(r, *map, "failure_ratio")) breaker.failure_ratio = *ratio;
  if (auto n = r.PositiveInt(*map, "min_requests", Need::kOptional, "breaker")) {
    breaker.min_requests = static_cast<int>(std::min<std::int64_t>(*n, 1'000'000));
  }
  if (auto d = r.PositiveDuration(*map, "window", Need::kOptional, "breaker")) {
    breaker.window = *d;
  }
  if (auto d = r.PositiveDuration(*map, "cooldown", Need::kOptional, "breaker")) {
    breaker.cooldown = *d;
  }
  return breaker;
}

void ReadDeploymentRouting(YamlReader& r, const YAML::Node& node,
                           const router::BreakerOptions& breaker_defaults, DeploymentConfig& d) {
  if (auto weight = r.PositiveInt(node, "weight", Need::kOptional, "deployment")) {
    d.weight = std::min<std::int64_t>(*weight, 1'000'000);
  }
  if (auto tier = r.NonNegativeInt(node, "priority", Need::kOptional, "deployment")) {
    d.priority = std::min<std::int64_t>(*tier, 1'000'000);
  }
  d.breaker = ReadBreaker(r, node, breaker_defaults);
}

void ReadModelRouting(YamlReader& r, const YAML::Node& node, ModelConfig& model) {
  auto routing = r.String(node, "routing", Need::kOptional, "model");
  if (!routing) return;
  std::optional<router::Strategy> strategy = router::ParseStrategy(routing->text);
  if (!strategy) {
    r.Problem(routing->mark, "unknown routing '" + routing->text +
                                 "' (allowed: " + std::string(router::AllowedStrategies()) + ")");
    return;
  }
  model.routing = *strategy;
  if (*strategy != router::Strategy::kCheapest || model.prices) return;
  for (std::size_t i = 0; i < model.deployments.size(); ++i) {
    if (model.deployments[i].prices) continue;
    r.Problem(routing->mark,
              "routing: cheapest needs prices for every deployment, and deployment " +
                  std::to_string(i) + " of model '" + model.name +
                  "' has none (set prices on it or on the model)");
    return;
  }
}

}  // namespace sluice::config
