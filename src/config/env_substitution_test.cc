#include "config/env_substitution.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace sluice::config {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

EnvLookup FakeEnv() {
  return [](std::string_view name) -> std::optional<std::string> {
    static const std::map<std::string, std::string, std::less<>> kVars = {
        {"KEY", "sk-123"}, {"EMPTY", ""}, {"HOST", "example.com"}};
    auto it = kVars.find(name);
    if (it == kVars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(SubstituteEnvTest, ReplacesEveryReference) {
  EnvSubstitution s = SubstituteEnv("https://${HOST}/v1?k=${KEY}", FakeEnv());
  EXPECT_EQ(s.text, "https://example.com/v1?k=sk-123");
  EXPECT_THAT(s.problems, IsEmpty());
}

TEST(SubstituteEnvTest, TextWithoutReferencesIsUnchanged) {
  EnvSubstitution s = SubstituteEnv("cost $5 {braces}", FakeEnv());
  EXPECT_EQ(s.text, "cost $5 {braces}");
  EXPECT_THAT(s.problems, IsEmpty());
}

TEST(SubstituteEnvTest, SetButEmptyVariableSubstitutesEmpty) {
  EnvSubstitution s = SubstituteEnv("a${EMPTY}b", FakeEnv());
  EXPECT_EQ(s.text, "ab");
  EXPECT_THAT(s.problems, IsEmpty());
}

TEST(SubstituteEnvTest, ReportsEachUnsetVariable) {
  EnvSubstitution s = SubstituteEnv("${NOPE}-${KEY}-${ALSO_NOPE}", FakeEnv());
  EXPECT_THAT(s.problems, ElementsAre("environment variable NOPE is not set",
                                      "environment variable ALSO_NOPE is not set"));
}

TEST(SubstituteEnvTest, DoubleDollarEscapesAReference) {
  EnvSubstitution s = SubstituteEnv("$${KEY} is ${KEY}", FakeEnv());
  EXPECT_EQ(s.text, "${KEY} is sk-123");
  EXPECT_THAT(s.problems, IsEmpty());
}

TEST(SubstituteEnvTest, MalformedReferencesAreProblems) {
  EXPECT_THAT(SubstituteEnv("${KEY", FakeEnv()).problems,
              ElementsAre(::testing::HasSubstr("unterminated ${")));
  EXPECT_THAT(SubstituteEnv("${1BAD}", FakeEnv()).problems,
              ElementsAre("invalid environment variable name '1BAD'"));
  EXPECT_THAT(SubstituteEnv("${}", FakeEnv()).problems,
              ElementsAre("invalid environment variable name ''"));
}

TEST(ProcessEnvironmentTest, ReadsTheRealEnvironment) {
  ASSERT_EQ(setenv("SLUICE_ENV_SUBSTITUTION_TEST", "yes", 1), 0);
  EnvLookup env = ProcessEnvironment();
  EXPECT_EQ(env("SLUICE_ENV_SUBSTITUTION_TEST"), "yes");
  EXPECT_EQ(env("SLUICE_ENV_SUBSTITUTION_TEST_UNSET"), std::nullopt);
}

}  // namespace
}  // namespace sluice::config
