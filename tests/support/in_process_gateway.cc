#include "support/in_process_gateway.h"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>

namespace sluice::test_support {

constexpr auto kCallTimeout = std::chrono::seconds(30);

Result<std::unique_ptr<InProcessGateway>> InProcessGateway::Start(config::Config config,
                                                                  runtime::GatewaySeams seams) {
  config.listen.port = 0;
  std::unique_ptr<InProcessGateway> gateway(new InProcessGateway());
  SLUICE_ASSIGN_OR_RETURN(gateway->server_, runtime::GatewayServer::Start(
                                                gateway->io_, std::move(config),
                                                [](const std::string&) {}, std::move(seams)));
  gateway->thread_ = std::thread([io = &gateway->io_] { io->run(); });
  return gateway;
}

InProcessGateway::~InProcessGateway() {
  boost::asio::post(io_, [this] { server_->Drain([this] { io_.stop(); }); });
  thread_.join();
  server_.reset();
}

RawResponse InProcessGateway::Call(const std::string& method, const std::string& target,
                                   const std::string& body, const std::string& type,
                                   const std::string& api_key) {
  auto response = RawHttp(server_->port(), method, target, body, kCallTimeout, type, api_key);
  EXPECT_TRUE(response.ok()) << response.status();
  return response.value_or(RawResponse{});
}

boost::json::object JsonObjectOf(const RawResponse& response) {
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(response.body, ec);
  EXPECT_FALSE(ec) << response.body;
  return !ec && parsed.is_object() ? parsed.get_object() : boost::json::object{};
}

}  // namespace sluice::test_support
