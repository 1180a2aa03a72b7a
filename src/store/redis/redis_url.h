// RedisUrl: where a Redis is and how to log in, from `redis://[[user]:password@]host[:port][/db]`
// or `rediss://…` (TLS). Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sluice::store::redis {

struct RedisUrl {
  bool tls = false;  // rediss://
  std::string host;
  std::uint16_t port = 6379;
  std::string user;      // empty: AUTH with the password alone (the "default" user)
  std::string password;  // empty: no AUTH
  int db = 0;            // SELECT'ed after connecting when not 0

  // "redis://host:port/db", without the password: for log lines and errors.
  std::string Redacted() const;
};

// kInvalidArgument naming what is wrong (scheme, host, port or db) for anything else.
// Percent-escapes in the user and password are decoded.
Result<RedisUrl> ParseRedisUrl(std::string_view url);

}  // namespace sluice::store::redis
