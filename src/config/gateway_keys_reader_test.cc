// The `keys:` section through the public parser: what is accepted, and every problem with its
// file:line:col and without the key's value.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config_parser.h"

namespace sluice::config {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kTeamAKey = "team-a-0123456789abcdef";

EnvLookup Env() {
  return [](std::string_view name) -> std::optional<std::string> {
    if (name == "TEAM_A_KEY") return std::string(kTeamAKey);
    if (name == "EMPTY_KEY") return std::string();
    return std::nullopt;
  };
}

std::string ErrorOf(std::string_view yaml) {
  Result<Config> config = ParseConfig(yaml, "sluice.yaml", Env());
  if (config.ok()) return "";
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  return config.status().message();
}

TEST(GatewayKeysTest, ReadsNamesKeysAndQuotas) {
  Result<Config> config = ParseConfig(R"(keys:
  - name: team-a
    key: ${TEAM_A_KEY}
    rpm: 600
    tpm: 1000000
  - name: team_b.batch
    key: 'b-key-0123456789abcdef'
)",
                                      "sluice.yaml", Env());
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_EQ(config->keys.size(), 2u);
  EXPECT_EQ(config->keys[0].name, "team-a");
  EXPECT_EQ(config->keys[0].key, kTeamAKey);
  EXPECT_EQ(config->keys[0].rpm, 600);
  EXPECT_EQ(config->keys[0].tpm, 1000000);
  EXPECT_EQ(config->keys[1].name, "team_b.batch");
  EXPECT_EQ(config->keys[1].rpm, 0);
  EXPECT_EQ(config->keys[1].tpm, 0);
}

TEST(GatewayKeysTest, ReadsDailyAndMonthlyBudgets) {
  Result<Config> config = ParseConfig(R"(keys:
  - name: team-a
    key: ${TEAM_A_KEY}
    max_cost_usd_per_day: 5
    max_cost_usd_per_month: "100.50"
  - name: team-b
    key: 'b-key-0123456789abcdef'
)",
                                      "sluice.yaml", Env());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->keys[0].budget.per_day, 5'000'000'000);
  EXPECT_EQ(config->keys[0].budget.per_month, 100'500'000'000);
  EXPECT_EQ(config->keys[1].budget, cost::KeyLimits{});
}

TEST(GatewayKeysTest, BudgetsThatAreNotAmountsAreReported) {
  std::string error = ErrorOf(R"(keys:
  - name: team-a
    key: ${TEAM_A_KEY}
    max_cost_usd_per_day: five
    max_cost_usd_per_month: -3
)");
  EXPECT_THAT(error, HasSubstr("sluice.yaml:4:27: max_cost_usd_per_day: 'five' is not a number of "
                               "US dollars"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:5:29: max_cost_usd_per_month: '-3' is negative"));
}

TEST(GatewayKeysTest, NoSectionMeansNoKeys) {
  Result<Config> config = ParseConfig("listen: 127.0.0.1:0\n", "sluice.yaml", Env());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(config->keys.empty());
  EXPECT_TRUE(ParseConfig("keys: []\n", "sluice.yaml", Env())->keys.empty());
}

TEST(GatewayKeysTest, MissingEmptyAndBadNamesAreReported) {
  std::string error = ErrorOf(R"(keys:
  - key: ${TEAM_A_KEY}
  - name: ''
    key: x-key-0123456789abcdef
  - name: team a
    key: y-key-0123456789abcdef
  - name: team-c
)");
  EXPECT_THAT(error, HasSubstr("sluice.yaml:2:5: missing required key 'name' in key"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:3:11: key name is empty"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:5:11: key name 'team a' must be 1 to 64 letters"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:7:5: missing required key 'key' in key"));
}

TEST(GatewayKeysTest, EmptyShortOrSpacedKeysAreReportedWithoutTheirValue) {
  std::string error = ErrorOf(R"(keys:
  - {name: a, key: '${EMPTY_KEY}'}
  - {name: b, key: short-secret}
  - {name: c, key: 'has a space in it 0123'}
)");
  EXPECT_THAT(error, HasSubstr("sluice.yaml:2:20: key of 'a' is empty"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:3:20: key of 'b' is shorter than 16 characters"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:4:20: key of 'c' must be printable ASCII"));
  EXPECT_THAT(error, AllOf(Not(HasSubstr("short-secret")), Not(HasSubstr("has a space"))));
}

TEST(GatewayKeysTest, DuplicateNamesAndKeysPointAtTheFirst) {
  std::string error = ErrorOf(R"(keys:
  - {name: a, key: '${TEAM_A_KEY}'}
  - {name: a, key: other-key-0123456789}
  - {name: b, key: '${TEAM_A_KEY}'}
)");
  EXPECT_THAT(error, HasSubstr("sluice.yaml:3:12: duplicate key name 'a' (first defined at "
                               "sluice.yaml:2:12)"));
  EXPECT_THAT(error, HasSubstr("sluice.yaml:4:20: key of 'b' is the same as the key of 'a' "
                               "(sluice.yaml:2:20)"));
  EXPECT_THAT(error, Not(HasSubstr(std::string(kTeamAKey))));
}

TEST(GatewayKeysTest, QuotasMustBeWholeNumbersFromZero) {
  std::string error =
      ErrorOf("keys: [{name: a, key: '${TEAM_A_KEY}', rpm: -1, tpm: 1.5, burst: 3}]\n");
  EXPECT_THAT(error, HasSubstr("rpm must be an integer >= 0, got '-1'"));
  EXPECT_THAT(error, HasSubstr("tpm must be an integer >= 0, got '1.5'"));
  EXPECT_THAT(
      error,
      HasSubstr("unknown key 'burst' in a key (allowed: name, key, rpm, tpm, webhook_url, admin, "
                "max_cost_usd_per_day, max_cost_usd_per_month)"));
  Result<Config> zero =
      ParseConfig("keys: [{name: a, key: '${TEAM_A_KEY}', rpm: 0}]\n", "sluice.yaml", Env());
  ASSERT_TRUE(zero.ok()) << zero.status();
  EXPECT_EQ(zero->keys[0].rpm, 0);
}

TEST(GatewayKeysTest, AdminIsTrueOrFalseAndOffByDefault) {
  Result<Config> config = ParseConfig(R"(keys:
  - {name: ops, key: '${TEAM_A_KEY}', admin: true}
  - {name: team-b, key: 'b-key-0123456789abcdef'}
)",
                                      "sluice.yaml", Env());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(config->keys[0].admin);
  EXPECT_FALSE(config->keys[1].admin);
  EXPECT_THAT(ErrorOf("keys: [{name: a, key: '${TEAM_A_KEY}', admin: yes}]\n"),
              HasSubstr("sluice.yaml:1:47: admin must be true or false, got 'yes'"));
}

TEST(GatewayKeysTest, KeysMustBeAList) {
  EXPECT_THAT(ErrorOf("keys: {name: a}\n"),
              HasSubstr("sluice.yaml:1:7: keys must be a list, not a map"));
}

}  // namespace
}  // namespace sluice::config
