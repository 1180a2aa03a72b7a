#include "http/url.h"

#include <gtest/gtest.h>

namespace sluice::http {
namespace {

TEST(ParseUrlTest, HttpsDefaultsToPort443) {
  auto url = ParseUrl("https://API.OpenAI.com/v1/chat/completions");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_TRUE(url->tls);
  EXPECT_EQ(url->host, "api.openai.com");
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->host_header, "api.openai.com");
  EXPECT_EQ(url->target, "/v1/chat/completions");
  EXPECT_EQ(url->origin, "https://api.openai.com:443");
  EXPECT_FALSE(url->host_is_ip);
}

TEST(ParseUrlTest, KeepsExplicitPortAndQueryAndDropsFragment) {
  auto url = ParseUrl("http://127.0.0.1:8080/v1/files?limit=2&after=x#frag");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_FALSE(url->tls);
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->host_header, "127.0.0.1:8080");
  EXPECT_EQ(url->target, "/v1/files?limit=2&after=x");
  EXPECT_EQ(url->origin, "http://127.0.0.1:8080");
  EXPECT_TRUE(url->host_is_ip);
}

TEST(ParseUrlTest, EmptyPathBecomesSlash) {
  auto url = ParseUrl("http://example.com");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(url->target, "/");
  auto query_only = ParseUrl("http://example.com?a=1");
  ASSERT_TRUE(query_only.ok()) << query_only.status();
  EXPECT_EQ(query_only->target, "/?a=1");
}

TEST(ParseUrlTest, Ipv6LiteralIsBracketedInHostHeaderOnly) {
  auto url = ParseUrl("http://[::1]:9000/x");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->host_header, "[::1]:9000");
  EXPECT_TRUE(url->host_is_ip);
}

TEST(ParseUrlTest, RejectsWhatTheClientCannotUse) {
  for (const char* bad :
       {"", "/relative/path", "ftp://example.com/", "http://", "http://:80/",
        "https://user:pw@example.com/", "http://example.com:99999/", "http://exa mple.com/"}) {
    auto url = ParseUrl(bad);
    EXPECT_EQ(url.status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace sluice::http
