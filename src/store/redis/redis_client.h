// RedisClient: calls to one Redis from any number of threads — a pool of RedisConnections (one
// per concurrent caller, opened on demand and dropped when broken, so the next call reconnects),
// error replies turned into Status, and Lua scripts run by their SHA1 (loaded on first use).
// Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/redis/redis_connection.h"

namespace sluice::store::redis {

// A Lua script and its SHA1, for EVALSHA.
struct Script {
  explicit Script(std::string source);
  std::string source;
  std::string sha1;  // hex
};

class RedisClient {
 public:
  // Opens a first connection (so a Redis that cannot be reached fails here, saying why).
  static Result<std::unique_ptr<RedisClient>> Connect(const RedisUrl& url,
                                                      const ConnectionOptions& options = {});

  // One command. Error replies become a Status: kNotFound / kAlreadyExists for our scripts'
  // "NOTFOUND …" / "EXISTS …", kUnavailable for a Redis that is loading, busy or failing over
  // (and for a lost connection), kResourceExhausted for "OOM", kInternal for the rest.
  Result<Reply> Call(const std::vector<std::string>& command);
  // Several commands in one round trip; fails as Call does on the first error reply.
  Result<std::vector<Reply>> Pipeline(const std::vector<std::vector<std::string>>& commands);
  // EVALSHA `script` (EVAL when Redis does not know it yet) with `keys` and `args`.
  Result<Reply> Eval(const Script& script, const std::vector<std::string>& keys,
                     const std::vector<std::string>& args);

  const RedisUrl& url() const { return url_; }

 private:
  RedisClient(RedisUrl url, ConnectionOptions options) : url_(std::move(url)), options_(options) {}
  Result<std::unique_ptr<RedisConnection>> Take();
  void Give(std::unique_ptr<RedisConnection> connection);
  Result<std::vector<Reply>> Raw(const std::vector<std::vector<std::string>>& commands);

  const RedisUrl url_;
  const ConnectionOptions options_;
  std::mutex mu_;
  std::vector<std::unique_ptr<RedisConnection>> idle_;  // guarded by mu_
};

// The Status an error reply stands for (see RedisClient::Call).
Status ErrorOf(const Reply& reply);

}  // namespace sluice::store::redis
