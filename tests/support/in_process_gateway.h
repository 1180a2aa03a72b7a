// InProcessGateway: `sluice serve`'s gateway started in the test's process on 127.0.0.1:0, its
// io_context on a thread of its own, for tests that drive it over HTTP with a store or a clock
// of their choosing. Destroying it drains the server as `sluice serve` does and joins the thread.
// Thread-compatible: one test owns one; Call may run on any thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <thread>

#include "config/config.h"
#include "runtime/gateway_server.h"
#include "support/raw_http.h"

namespace sluice::test_support {

class InProcessGateway {
 public:
  // Starts on `config` (its listen port made 0) with `seams`.
  static Result<std::unique_ptr<InProcessGateway>> Start(config::Config config,
                                                         runtime::GatewaySeams seams = {});
  ~InProcessGateway();

  // One exchange with the gateway; a test failure (and an empty answer) when it does not come.
  RawResponse Call(const std::string& method, const std::string& target,
                   const std::string& body = "", const std::string& type = "application/json",
                   const std::string& api_key = "sk-test");

 private:
  InProcessGateway() = default;

  boost::asio::io_context io_;
  std::unique_ptr<runtime::GatewayServer> server_;
  std::thread thread_;
};

// The JSON object in `response`'s body; a test failure (and an empty object) when it is not one.
boost::json::object JsonObjectOf(const RawResponse& response);

}  // namespace sluice::test_support
