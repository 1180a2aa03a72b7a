// RedisConnection: one TCP (or TLS, for rediss://) connection to Redis, used synchronously:
// every call writes its commands and waits for their replies within a deadline. Asio stays in the
// .cc file. A connection that failed once (I/O error, timeout, a reply that is not RESP2) is
// broken for good: the caller drops it and opens another (see RedisClient).
// Thread-compatible: one thread uses a connection at a time.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/redis/redis_url.h"
#include "store/redis/resp.h"

namespace sluice::store::redis {

struct ConnectionOptions {
  // Resolving, connecting, the TLS handshake, AUTH and SELECT together.
  std::chrono::milliseconds connect_timeout{2000};
  // Writing one call's commands and reading all of their replies.
  std::chrono::milliseconds call_timeout{10000};
};

class RedisConnection {
 public:
  // Connects, logs in (AUTH) and selects the database. kUnavailable naming the Redis (without its
  // password) when it cannot be reached in time; kPermissionDenied when AUTH is refused.
  static Result<std::unique_ptr<RedisConnection>> Open(const RedisUrl& url,
                                                       const ConnectionOptions& options);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends `commands` in one write and returns one reply per command, in order (error replies
  // included, as replies). kUnavailable on an I/O failure or when the deadline passes, kDataLoss
  // for bytes that are not RESP2; either way the connection is broken afterwards.
  Result<std::vector<Reply>> Pipeline(const std::vector<std::vector<std::string>>& commands);

  bool broken() const;

 private:
  struct State;
  explicit RedisConnection(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace sluice::store::redis
