#include "config/value_parsers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::config {
namespace {

using ::testing::HasSubstr;

TEST(ParseHostPortTest, AcceptsIpv4AndBracketedIpv6) {
  Result<HostPort> v4 = ParseHostPort("0.0.0.0:8080");
  ASSERT_TRUE(v4.ok()) << v4.status();
  EXPECT_EQ(v4->host, "0.0.0.0");
  EXPECT_EQ(v4->port, 8080);
  Result<HostPort> v6 = ParseHostPort("[::1]:0");
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  EXPECT_EQ(v6->ToString(), "[::1]:0");
}

TEST(ParseHostPortTest, RejectsNamesMissingPortsAndBadPorts) {
  EXPECT_THAT(ParseHostPort("8080").status().message(), HasSubstr("must be host:port"));
  EXPECT_THAT(ParseHostPort("localhost:8080").status().message(), HasSubstr("IP address"));
  EXPECT_THAT(ParseHostPort("::1:8080").status().message(), HasSubstr("IP address"));
  EXPECT_THAT(ParseHostPort("127.0.0.1:").status().message(), HasSubstr("port must be"));
  EXPECT_THAT(ParseHostPort("127.0.0.1:65536").status().message(), HasSubstr("port must be"));
  EXPECT_THAT(ParseHostPort("127.0.0.1:-1").status().message(), HasSubstr("port must be"));
  EXPECT_THAT(ParseHostPort("127.0.0.1:80x").status().message(), HasSubstr("port must be"));
}

TEST(ValidateHttpUrlTest, AcceptsHttpAndHttpsUrls) {
  EXPECT_TRUE(ValidateHttpUrl("https://api.openai.com/v1").ok());
  EXPECT_TRUE(ValidateHttpUrl("http://127.0.0.1:8081").ok());
  EXPECT_TRUE(ValidateHttpUrl("http://[::1]:8081/v1").ok());
}

TEST(ValidateHttpUrlTest, RejectsOtherSchemesMissingHostsAndBadPorts) {
  EXPECT_THAT(ValidateHttpUrl("api.openai.com/v1").message(), HasSubstr("must start with"));
  EXPECT_THAT(ValidateHttpUrl("ftp://x").message(), HasSubstr("must start with"));
  EXPECT_THAT(ValidateHttpUrl("https:///v1").message(), HasSubstr("has no host"));
  EXPECT_THAT(ValidateHttpUrl("http://h:99999/").message(), HasSubstr("bad port"));
  EXPECT_THAT(ValidateHttpUrl("http://h:/").message(), HasSubstr("bad port"));
  EXPECT_THAT(ValidateHttpUrl("http://a b").message(), HasSubstr("whitespace"));
}

TEST(ValidateStoreUrlTest, AcceptsOnlyRedis) {
  EXPECT_TRUE(ValidateStoreUrl("redis://127.0.0.1:6379/0").ok());
  EXPECT_TRUE(ValidateStoreUrl("rediss://:secret@cache.internal:6380").ok());
  EXPECT_FALSE(ValidateStoreUrl("sqlite://x").ok());
}

TEST(ParseByteSizeTest, AcceptsBytesAndDecimalAndBinaryUnits) {
  EXPECT_EQ(ParseByteSize("512").value(), 512);
  EXPECT_EQ(ParseByteSize("10B").value(), 10);
  EXPECT_EQ(ParseByteSize("200MB").value(), 200'000'000);
  EXPECT_EQ(ParseByteSize("200mb").value(), 200'000'000);
  EXPECT_EQ(ParseByteSize("1 GiB").value(), 1 << 30);
  EXPECT_EQ(ParseByteSize("3KiB").value(), 3 * 1024);
  EXPECT_EQ(ParseByteSize("2TB").value(), 2'000'000'000'000);
}

TEST(ParseByteSizeTest, RejectsEverythingElse) {
  for (const char* bad :
       {"", "0", "0MB", "-1MB", "1.5GB", "MB", "10 XB", "10  MB", "9999999TiB", "12 ", " 12"}) {
    Result<std::int64_t> parsed = ParseByteSize(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    EXPECT_THAT(parsed.status().message(), HasSubstr("expected a size")) << bad;
  }
}

TEST(ParsePositiveIntegerTest, AcceptsPositiveDecimalIntegers) {
  EXPECT_EQ(ParsePositiveInteger("1").value(), 1);
  EXPECT_EQ(ParsePositiveInteger("200000").value(), 200000);
}

TEST(ParsePositiveIntegerTest, RejectsEverythingElse) {
  for (const char* bad :
       {"0", "-5", "1.5", "1e3", "", " 5", "12abc", "+3", "99999999999999999999"}) {
    Result<std::int64_t> parsed = ParsePositiveInteger(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    EXPECT_THAT(parsed.status().message(), HasSubstr("must be a positive integer")) << bad;
  }
}

TEST(ParseNonNegativeIntegerTest, AcceptsZeroAndRejectsSignsAndFractions) {
  EXPECT_EQ(ParseNonNegativeInteger("0").value(), 0);
  EXPECT_EQ(ParseNonNegativeInteger("600").value(), 600);
  for (const char* bad : {"-1", "1.5", "", "+3", "99999999999999999999"}) {
    Result<std::int64_t> parsed = ParseNonNegativeInteger(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    EXPECT_THAT(parsed.status().message(), HasSubstr("must be an integer >= 0")) << bad;
  }
}

}  // namespace
}  // namespace sluice::config
