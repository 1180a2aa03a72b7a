// Reading the routing part of the config: a model's `routing:` strategy, a deployment's `weight`,
// `priority` and `breaker:`, and the `breaker:` map itself (at the top level, the defaults of
// every deployment; in a deployment, its own keys over those). Internal to config/; problems go
// to the YamlReader with their file:line. Thread-compatible (one reader per parse).
#pragma once

#include <yaml-cpp/yaml.h>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace sluice::config {

// `breaker:` of `node`, if present, over `defaults`.
router::BreakerOptions ReadBreaker(YamlReader& r, const YAML::Node& node,
                                   const router::BreakerOptions& defaults);

// A deployment's weight, priority and breaker (over `breaker_defaults`).
void ReadDeploymentRouting(YamlReader& r, const YAML::Node& node,
                           const router::BreakerOptions& breaker_defaults, DeploymentConfig& d);

// A model's `routing:`, once its deployments and prices are read: `cheapest` needs prices for
// every deployment (its own or the model's).
void ReadModelRouting(YamlReader& r, const YAML::Node& node, ModelConfig& model);

}  // namespace sluice::config
