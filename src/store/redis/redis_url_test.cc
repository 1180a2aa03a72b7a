#include "store/redis/redis_url.h"

#include <gtest/gtest.h>

namespace sluice::store::redis {
namespace {

TEST(RedisUrlTest, ReadsHostPortDatabaseAndLogin) {
  RedisUrl url = *ParseRedisUrl("rediss://app:p%40ss@cache.internal:6380/3");
  EXPECT_TRUE(url.tls);
  EXPECT_EQ(url.host, "cache.internal");
  EXPECT_EQ(url.port, 6380);
  EXPECT_EQ(url.db, 3);
  EXPECT_EQ(url.user, "app");
  EXPECT_EQ(url.password, "p@ss");
  EXPECT_EQ(url.Redacted(), "rediss://<redacted>@cache.internal:6380/3");
}

TEST(RedisUrlTest, DefaultsToPort6379DatabaseZeroAndNoLogin) {
  RedisUrl url = *ParseRedisUrl("redis://127.0.0.1");
  EXPECT_FALSE(url.tls);
  EXPECT_EQ(url.port, 6379);
  EXPECT_EQ(url.db, 0);
  EXPECT_EQ(url.password, "");
  RedisUrl password_only = *ParseRedisUrl("redis://:secret@[::1]:7000/");
  EXPECT_EQ(password_only.host, "::1");
  EXPECT_EQ(password_only.user, "");
  EXPECT_EQ(password_only.password, "secret");
}

TEST(RedisUrlTest, NamesWhatIsWrongWithoutThePassword) {
  EXPECT_EQ(ParseRedisUrl("http://x").status().code(), StatusCode::kInvalidArgument);
  auto bad_port = ParseRedisUrl("redis://:hunter2@host:99999/0");
  EXPECT_NE(bad_port.status().message().find("port"), std::string::npos);
  EXPECT_EQ(bad_port.status().message().find("hunter2"), std::string::npos);
  EXPECT_NE(ParseRedisUrl("redis://host/x").status().message().find("database"), std::string::npos);
  EXPECT_NE(ParseRedisUrl("redis:///0").status().message().find("no host"), std::string::npos);
}

}  // namespace
}  // namespace sluice::store::redis
