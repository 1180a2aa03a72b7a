// ServerHarness: runs an http::Server on 127.0.0.1:0 with its own io thread(s) for tests, and
// drains and joins it on destruction. TlsGet: a one-shot HTTPS GET that verifies the server
// against a CA file (pairs with MakeTestCertificate). Tests only.
// Threading: construct, use and destroy a harness on one test thread; the handler runs on the
// harness's io threads.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "http/server.h"
#include "http/testing/raw_connection.h"

namespace sluice::http::testing {

class ServerHarness {
 public:
  // Starts the server; start() says whether that worked (tests ASSERT on it).
  ServerHarness(ServerOptions options, Handler handler, int io_threads = 1);
  // Drains the server (waiting at most 10 s), then stops and joins the io threads.
  ~ServerHarness();
  ServerHarness(const ServerHarness&) = delete;
  ServerHarness& operator=(const ServerHarness&) = delete;

  const Status& start() const { return start_; }
  std::uint16_t port() const { return server_ ? server_->port() : 0; }
  Server& server() { return *server_; }
  // A new raw client connection; aborts the test binary if the server is unreachable.
  RawConnection Connect();

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  Status start_;
  std::unique_ptr<Server> server_;
  std::vector<std::thread> threads_;
};

// GET https://localhost:port/target over a fresh connection, trusting only `ca_file`, within
// 10 s. Returns the response body, or the failing step as kUnavailable.
Result<std::string> TlsGet(std::uint16_t port, const std::string& ca_file, std::string target);

}  // namespace sluice::http::testing
