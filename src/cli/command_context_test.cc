#include "cli/command_context.h"

#include <gtest/gtest.h>

namespace sluice::cli {
namespace {

TEST(CannotListenMessageTest, SaysAddressInUseWhateverTheServerCalledIt) {
  EXPECT_EQ(CannotListenMessage("127.0.0.1", 8080,
                                UnavailableError("address 127.0.0.1:8080 already in use")),
            "cannot listen on 127.0.0.1:8080: address already in use");
  EXPECT_EQ(CannotListenMessage(
                "127.0.0.1", 8080,
                UnavailableError("cannot listen on 127.0.0.1:8080: Address already in use")),
            "cannot listen on 127.0.0.1:8080: address already in use");
}

TEST(CannotListenMessageTest, KeepsOtherReasonsWithoutRepeatingThePrefix) {
  EXPECT_EQ(CannotListenMessage("0.0.0.0", 80,
                                UnavailableError("cannot listen on 0.0.0.0:80: Permission denied")),
            "cannot listen on 0.0.0.0:80: Permission denied");
  EXPECT_EQ(CannotListenMessage("::1", 80, InvalidArgumentError("bad TLS key")),
            "cannot listen on [::1]:80: bad TLS key");
}

TEST(ListeningLineTest, BracketsIpv6Hosts) {
  EXPECT_EQ(ListeningLine("127.0.0.1", 8081), "listening on http://127.0.0.1:8081");
  EXPECT_EQ(ListeningLine("::1", 8081), "listening on http://[::1]:8081");
}

TEST(EffectiveLogOptionsTest, FlagsOverrideTheConfig) {
  config::LogOptions from_config{config::LogLevel::kDebug, config::LogFormat::kJson};
  EXPECT_EQ(EffectiveLogOptions({}, from_config).level, config::LogLevel::kDebug);
  EXPECT_EQ(EffectiveLogOptions({}, from_config).format, config::LogFormat::kJson);
  GlobalOptions flags{"", "text", "error"};
  EXPECT_EQ(EffectiveLogOptions(flags, from_config).level, config::LogLevel::kError);
  EXPECT_EQ(EffectiveLogOptions(flags, from_config).format, config::LogFormat::kText);
}

}  // namespace
}  // namespace sluice::cli
