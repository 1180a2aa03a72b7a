// Parsing the routing keys: a model's routing:, a deployment's weight, priority, prices and
// breaker:, and the top-level breaker: defaults. Each bad value names its file:line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config_parser.h"

namespace sluice::config {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

EnvLookup NoEnv() {
  return [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
}

// A config with one model "m" whose `model_keys` and two deployments' extra keys are given
// (each a YAML fragment at the right indentation, or empty).
std::string Yaml(const std::string& top, const std::string& model_keys,
                   const std::string& first, const std::string& second) {
  return top + "models:\n  - name: m\n" + model_keys +
         "    deployments:\n"
         "      - provider: openai-compatible\n        base_url: http://127.0.0.1:1/v1\n" +
         first +
         "      - provider: openai-compatible\n        base_url: http://127.0.0.1:2/v1\n" +
         second;
}

Result<Config> Parse(const std::string& yaml) { return ParseConfig(yaml, "sluice.yaml", NoEnv()); }

std::string ErrorOf(const std::string& yaml) {
  Result<Config> config = Parse(yaml);
  if (config.ok()) return "";
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  return config.status().message();
}

TEST(RoutingReaderTest, DefaultsAreExpectedFinishWeightOneTierZeroAndTheDefaultBreaker) {
  Result<Config> config = Parse(Yaml("", "", "", ""));
  ASSERT_TRUE(config.ok()) << config.status();
  const ModelConfig& m = config->models[0];
  EXPECT_EQ(m.routing, router::Strategy::kExpectedFinish);
  EXPECT_EQ(m.deployments[0].weight, 1);
  EXPECT_EQ(m.deployments[0].priority, 0);
  EXPECT_FALSE(m.deployments[0].prices.has_value());
  EXPECT_EQ(m.deployments[0].breaker.consecutive_failures, 5);
  EXPECT_EQ(m.deployments[0].breaker.cooldown, 5s);
}

TEST(RoutingReaderTest, ReadsEveryRoutingKey) {
  std::string yaml = Yaml(
      "breaker:\n  consecutive_failures: 3\n  failure_ratio: 0.25\n  min_requests: 8\n"
      "  window: 10s\n  cooldown: 2s\n",
      "    routing: weighted\n",
      "        weight: 3\n        priority: 1\n        prices: {input: 0.5, output: 2}\n"
      "        breaker:\n          cooldown: 500ms\n",
      "");
  Result<Config> config = Parse(yaml);
  ASSERT_TRUE(config.ok()) << config.status();
  const ModelConfig& m = config->models[0];
  EXPECT_EQ(m.routing, router::Strategy::kWeighted);
  const DeploymentConfig& first = m.deployments[0];
  EXPECT_EQ(first.weight, 3);
  EXPECT_EQ(first.priority, 1);
  ASSERT_TRUE(first.prices.has_value());
  EXPECT_DOUBLE_EQ(first.prices->input, 0.5);
  EXPECT_DOUBLE_EQ(first.prices->output, 2);
  // Its own cooldown over the config's other breaker keys.
  EXPECT_EQ(first.breaker.cooldown, 500ms);
  EXPECT_EQ(first.breaker.consecutive_failures, 3);
  EXPECT_DOUBLE_EQ(first.breaker.failure_ratio, 0.25);
  EXPECT_EQ(first.breaker.min_requests, 8);
  EXPECT_EQ(first.breaker.window, 10s);
  // The other one has the config's breaker whole.
  EXPECT_EQ(m.deployments[1].breaker.cooldown, 2s);
  EXPECT_THAT(ToString(*config), HasSubstr("routing: weighted"));
  EXPECT_THAT(ToString(*config), HasSubstr("weight: 3"));
  EXPECT_THAT(ToString(*config), HasSubstr("cooldown: 500ms"));
}

TEST(RoutingReaderTest, UnknownRoutingListsTheStrategies) {
  EXPECT_EQ(ErrorOf(Yaml("", "    routing: round-robin\n", "", "")),
            "sluice.yaml:3:14: unknown routing 'round-robin' (allowed: expected-finish, "
            "weighted, cheapest, ordered)");
}

TEST(RoutingReaderTest, CheapestNeedsPricesForEveryDeployment) {
  std::string some = Yaml("", "    routing: cheapest\n", "        prices: {input: 1}\n", "");
  EXPECT_THAT(ErrorOf(some), HasSubstr("sluice.yaml:3:14: routing: cheapest needs prices for "
                                       "every deployment, and deployment 1 of model 'm' has none"));
  std::string model_priced =
      Yaml("", "    routing: cheapest\n    prices: {input: 1}\n", "        prices: {input: 0.1}\n", "");
  EXPECT_EQ(ErrorOf(model_priced), "");
}

TEST(RoutingReaderTest, BadValuesAreEachReportedWithTheirLine) {
  std::string yaml = Yaml("breaker:\n  failure_ratio: 1.5\n  cooldown: 0s\n", "",
                            "        weight: 0\n        priority: -1\n",
                            "        breaker:\n          consecutive_failures: none\n"
                            "          window: soon\n          trip: 3\n");
  std::string error = ErrorOf(yaml);
  EXPECT_THAT(error, HasSubstr("sluice.yaml:2:18: failure_ratio: expected a share above 0 and "
                               "at most 1 such as 0.5, got '1.5'"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:3:13: cooldown: expected a duration above zero"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:9:17: weight"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:10:19: priority"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:14:33: consecutive_failures"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:15:19: window"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:16:11: unknown key 'trip' in breaker"));
}

}  // namespace
}  // namespace sluice::config
