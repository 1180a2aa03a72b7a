#include "config/listen_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::config {
namespace {

using ::testing::HasSubstr;

Config Listening(std::string host) {
  Config config = DefaultConfig();
  config.listen = HostPort{std::move(host), 8080};
  return config;
}

TEST(IsLoopbackHostTest, AcceptsTheWholeLoopbackRangeAndIpv6Loopback) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "127.255.255.255", "::1", "0:0:0:0:0:0:0:1",
                           "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
}

TEST(IsLoopbackHostTest, RejectsWildcardsPublicAddressesAndNames) {
  for (const char* host : {"0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "128.0.0.1",
                           "::ffff:10.0.0.1", "::2", "fe80::1", "localhost", ""}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

TEST(CheckListenAddressTest, LoopbackWithoutKeysIsAllowed) {
  EXPECT_TRUE(CheckListenAddress(Listening("127.0.0.1")).ok());
  EXPECT_TRUE(CheckListenAddress(Listening("::1")).ok());
  EXPECT_TRUE(CheckListenAddress(DefaultConfig()).ok());
}

TEST(CheckListenAddressTest, PublicAddressWithoutKeysIsRefusedInOneLine) {
  Status status = CheckListenAddress(Listening("0.0.0.0"));
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(),
            "refusing to listen on 0.0.0.0:8080 without authentication: add gateway keys to the "
            "config (keys:, see docs/operations.md) or listen on a loopback address such as "
            "127.0.0.1");
  EXPECT_THAT(CheckListenAddress(Listening("::")).message(), HasSubstr("[::]:8080"));
  EXPECT_FALSE(CheckListenAddress(Listening("192.168.1.10")).ok());
}

TEST(CheckListenAddressTest, AnyAddressIsAllowedWithKeys) {
  Config config = Listening("0.0.0.0");
  config.keys.push_back(GatewayKey{.name = "team-a", .key = "k", .rpm = 0, .tpm = 0, .webhook_url = "", .admin = false});
  EXPECT_TRUE(CheckListenAddress(config).ok());
}

}  // namespace
}  // namespace sluice::config
