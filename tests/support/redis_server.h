// RedisServer: a throwaway redis-server for tests, on 127.0.0.1 on a free port, without
// persistence; killed when destroyed. Started on demand once per test process by
// SharedRedisServer (each gtest case runs in its own process under ctest).
// Thread-compatible.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "support/process.h"

namespace sluice::test_support {

class RedisServer {
 public:
  // Starts one on `port` (0: a free one) and waits until it accepts connections. kNotFound when
  // redis-server is not installed (scripts/setup.sh installs it); kUnavailable when it does not
  // start.
  static Result<std::unique_ptr<RedisServer>> Start(int port = 0);

  int port() const { return port_; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }

 private:
  RedisServer(std::unique_ptr<Process> process, int port)
      : process_(std::move(process)), port_(port) {}
  std::unique_ptr<Process> process_;
  int port_;
};

// This process's RedisServer, started on first use. Null when redis-server is not installed and
// SLUICE_REQUIRE_REDIS is unset (a developer's machine: the Redis tests skip, saying so); with
// SLUICE_REQUIRE_REDIS=1 (scripts/test.sh, CI) a missing or failing redis-server aborts the test.
RedisServer* SharedRedisServer();

// Why SharedRedisServer() is null, for GTEST_SKIP.
inline constexpr const char* kNoRedisServer =
    "redis-server is not installed (scripts/setup.sh installs it; SLUICE_REQUIRE_REDIS=1 makes "
    "this a failure)";

}  // namespace sluice::test_support
