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

struct RedisServerOptions {
  int port = 0;  // 0: a free one
  // Both set: it speaks TLS only (rediss://), with this certificate and key (PEM files).
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string password;  // set: clients must AUTH with it (requirepass)
};

class RedisServer {
 public:
  // Starts one and waits until it accepts connections. kNotFound when redis-server is not
  // installed (scripts/setup.sh installs it); kUnavailable when it does not start.
  static Result<std::unique_ptr<RedisServer>> Start(const RedisServerOptions& options = {});

  int port() const { return port_; }
  std::string url() const {
    return (tls_ ? "rediss" : "redis") + std::string("://127.0.0.1:") + std::to_string(port_) +
           "/0";
  }

 private:
  RedisServer(std::unique_ptr<Process> process, int port, bool tls)
      : process_(std::move(process)), port_(port), tls_(tls) {}
  std::unique_ptr<Process> process_;
  int port_;
  bool tls_;
};

// A self-signed certificate for 127.0.0.1 and its key, written by `openssl req` into `dir`
// (cert.pem, key.pem). Returns the certificate's path.
Result<std::string> WriteSelfSignedCertificate(const std::string& dir);

// This process's RedisServer, started on first use. Null when redis-server is not installed and
// SLUICE_REQUIRE_REDIS is unset (a developer's machine: the Redis tests skip, saying so); with
// SLUICE_REQUIRE_REDIS=1 (scripts/test.sh, CI) a missing or failing redis-server aborts the test.
RedisServer* SharedRedisServer();

// Why SharedRedisServer() is null, for GTEST_SKIP.
inline constexpr const char* kNoRedisServer =
    "redis-server is not installed (scripts/setup.sh installs it; SLUICE_REQUIRE_REDIS=1 makes "
    "this a failure)";

}  // namespace sluice::test_support
