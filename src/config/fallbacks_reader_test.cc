#include "config/fallbacks_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config_parser.h"

namespace sluice::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

EnvLookup NoEnv() {
  return [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
}

// The `models:` section holding `body` (Model entries).
std::string Models(const std::string& body) { return "models:\n" + body; }

// One model entry with an openai-compatible deployment, then `fallbacks` (lines of its map).
std::string Model(const std::string& name, const std::string& fallbacks = "") {
  return "  - name: " + name +
         "\n    deployments:\n      - provider: openai-compatible\n"
         "        base_url: http://127.0.0.1:1/v1\n" +
         fallbacks;
}

std::string ErrorOf(const std::string& yaml) {
  Result<Config> config = ParseConfig(yaml, "sluice.yaml", NoEnv());
  if (config.ok()) return "";
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  return config.status().message();
}

TEST(FallbacksReaderTest, ReadsFallbacksInOrderWithTheirClasses) {
  std::string yaml = Models(Model("fast",
                                  "    fallbacks:\n"
                                  "      - model: smart\n"
                                  "        on: [unavailable, context_window]\n"
                                  "      - {model: backup, on: [rate_limited, content_policy]}\n") +
                            Model("smart") + Model("backup"));
  Result<Config> config = ParseConfig(yaml, "sluice.yaml", NoEnv());
  ASSERT_TRUE(config.ok()) << config.status();
  const std::vector<FallbackConfig>& fallbacks = config->models[0].fallbacks;
  ASSERT_EQ(fallbacks.size(), 2u);
  EXPECT_EQ(fallbacks[0].model, "smart");
  EXPECT_THAT(fallbacks[0].on,
              ElementsAre(FallbackClass::kUnavailable, FallbackClass::kContextWindow));
  EXPECT_EQ(fallbacks[1].model, "backup");
  EXPECT_THAT(fallbacks[1].on,
              ElementsAre(FallbackClass::kRateLimited, FallbackClass::kContentPolicy));
  EXPECT_TRUE(config->models[1].fallbacks.empty());
  EXPECT_THAT(ToString(*config),
              HasSubstr("    fallbacks:\n      - model: smart\n        on: [unavailable, "
                        "context_window]\n"));
}

TEST(FallbacksReaderTest, AFallbackToAnUnknownModelNamesItsLine) {
  std::string yaml =
      Models(Model("fast", "    fallbacks:\n      - {model: smrt, on: [unavailable]}\n") +
             Model("smart"));
  EXPECT_EQ(ErrorOf(yaml),
            "sluice.yaml:7:17: model 'fast' falls back to unknown model 'smrt' (configured: "
            "fast, smart)");
}

TEST(FallbacksReaderTest, ACycleIsReportedOnceAtTheEntryThatClosesIt) {
  std::string yaml =
      Models(Model("a", "    fallbacks:\n      - {model: b, on: [unavailable]}\n") +
             Model("b", "    fallbacks:\n      - {model: c, on: [context_window]}\n") +
             Model("c", "    fallbacks:\n      - {model: a, on: [rate_limited]}\n"));
  EXPECT_EQ(ErrorOf(yaml), "sluice.yaml:19:17: fallback cycle: a -> b -> c -> a");
  std::string two = Models(Model("a", "    fallbacks:\n      - {model: b, on: [unavailable]}\n") +
                           Model("b", "    fallbacks:\n      - {model: a, on: [unavailable]}\n"));
  EXPECT_EQ(ErrorOf(two), "sluice.yaml:13:17: fallback cycle: a -> b -> a");
}

TEST(FallbacksReaderTest, ADiamondIsNoCycle) {
  std::string yaml = Models(
      Model("a", "    fallbacks:\n      - {model: b, on: [unavailable]}\n"
                 "      - {model: c, on: [unavailable]}\n") +
      Model("b", "    fallbacks:\n      - {model: c, on: [unavailable]}\n") + Model("c"));
  EXPECT_EQ(ErrorOf(yaml), "");
}

TEST(FallbacksReaderTest, UnknownRepeatedAndMissingClassesAreEachReported) {
  std::string yaml = Models(Model("a",
                                  "    fallbacks:\n"
                                  "      - {model: b, on: [unavailable, overloaded, unavailable]}\n"
                                  "      - {model: c, on: []}\n"
                                  "      - {model: d}\n") +
                            Model("b") + Model("c") + Model("d"));
  std::string error = ErrorOf(yaml);
  EXPECT_THAT(error, HasSubstr("sluice.yaml:7:38: unknown fallback class 'overloaded' (allowed: "
                               "rate_limited, unavailable, context_window, content_policy)"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:7:50: fallback class 'unavailable' is listed twice"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:8:24: on: name at least one class"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:9:9: missing required key 'on' in a fallback"));
}

TEST(FallbacksReaderTest, ARepeatedOrOwnModelAndUnknownKeysAreReported) {
  std::string yaml = Models(Model("a",
                                  "    fallbacks:\n"
                                  "      - {model: b, on: [unavailable]}\n"
                                  "      - {model: b, on: [context_window]}\n"
                                  "      - {model: a, on: [unavailable]}\n"
                                  "      - {model: b, when: [unavailable]}\n") +
                            Model("b"));
  std::string error = ErrorOf(yaml);
  EXPECT_THAT(error, HasSubstr("sluice.yaml:8:17: model 'b' is already a fallback of 'a' (at "
                               "sluice.yaml:7:17); list its classes once"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:9:17: model 'a' cannot fall back to itself"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:10:20: unknown key 'when' in a fallback (allowed: model, on)"));
}

}  // namespace
}  // namespace sluice::config
