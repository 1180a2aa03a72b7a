#include "config/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ConfigTest, DefaultConfigListensOnLoopback8080WithNoModels) {
  Config config = DefaultConfig();
  EXPECT_EQ(config.listen.ToString(), "127.0.0.1:8080");
  EXPECT_EQ(config.store.data_dir, "./sluice-data");
  EXPECT_TRUE(config.store.url.empty());
  EXPECT_EQ(config.log.level, LogLevel::kInfo);
  EXPECT_EQ(config.log.format, LogFormat::kText);
  EXPECT_TRUE(config.models.empty());
  EXPECT_TRUE(config.keys.empty());
}

TEST(ConfigTest, ToStringNeverShowsSecrets) {
  Config config = DefaultConfig();
  config.store.url = "redis://user:hunter2@cache:6379/0";
  DeploymentConfig d;
  d.api_key = "sk-very-secret";
  d.model = "gpt-4o-mini";
  config.models.push_back({"gpt-4o-mini", {d}, std::nullopt, {}, {}});
  config.keys.push_back(
      GatewayKey{
          .name = "team-a", .key = "gateway-very-secret", .rpm = 600, .tpm = 0, .webhook_url = "",
                 .admin = false});
  std::string text = ToString(config);
  EXPECT_THAT(text, Not(HasSubstr("sk-very-secret")));
  EXPECT_THAT(text, Not(HasSubstr("gateway-very-secret")));
  EXPECT_THAT(text, HasSubstr("  - name: team-a\n    key: <set>\n    rpm: 600\n"));
  EXPECT_THAT(text, Not(HasSubstr("hunter2")));
  EXPECT_THAT(text, HasSubstr("api_key: <set>"));
  EXPECT_THAT(text, HasSubstr("store: redis://<redacted>@cache:6379/0"));
  EXPECT_THAT(text, HasSubstr("name: gpt-4o-mini"));
}

TEST(ConfigTest, ProviderKindNamesRoundTrip) {
  for (ProviderKind kind :
       {ProviderKind::kOpenAi, ProviderKind::kOpenAiCompatible, ProviderKind::kAnthropic}) {
    EXPECT_EQ(ParseProviderKind(ProviderKindName(kind)), kind);
  }
  EXPECT_EQ(ParseProviderKind("OpenAI"), std::nullopt);
}

TEST(ConfigTest, LogLevelAndFormatNamesRoundTrip) {
  for (LogLevel level : {LogLevel::kTrace, LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn,
                         LogLevel::kError, LogLevel::kOff}) {
    EXPECT_EQ(ParseLogLevel(LogLevelName(level)), level);
  }
  EXPECT_EQ(ParseLogLevel("warning"), LogLevel::kWarn);
  EXPECT_EQ(ParseLogLevel("loud"), std::nullopt);
  EXPECT_EQ(ParseLogFormat("json"), LogFormat::kJson);
  EXPECT_EQ(ParseLogFormat(LogFormatName(LogFormat::kText)), LogFormat::kText);
  EXPECT_EQ(ParseLogFormat("xml"), std::nullopt);
}

}  // namespace
}  // namespace sluice::config
