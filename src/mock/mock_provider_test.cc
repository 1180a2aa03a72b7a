// HTTP-level tests: a MockProvider on 127.0.0.1:0, its io_context on a background thread, and a
// raw synchronous Beast client in the test thread.
#include "mock/mock_provider.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <future>
#include <thread>

namespace sluice::mock {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr std::string_view kChat =
    R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"ping"}]})";

class MockProviderTest : public ::testing::Test {
 protected:
  void StartProvider(MockOptions options) {
    auto started = MockProvider::Start(io_, std::move(options), clock_);
    ASSERT_TRUE(started.ok()) << started.status();
    provider_ = std::move(*started);
    work_.emplace(io_.get_executor());
    thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    if (provider_) {
      std::promise<void> drained;
      provider_->Drain([&drained] { drained.set_value(); });
      EXPECT_EQ(drained.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
      provider_.reset();
    }
    work_.reset();
    if (thread_.joinable()) thread_.join();
  }

  tcp::socket Connect() {
    tcp::socket socket(client_io_);
    socket.connect({asio::ip::make_address("127.0.0.1"), provider_->port()});
    return socket;
  }

  static void Send(tcp::socket& socket, bhttp::verb verb, std::string_view target,
                   std::string_view body = "", std::string_view key = "") {
    bhttp::request<bhttp::string_body> req{verb, target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    if (!key.empty()) req.set(bhttp::field::authorization, "Bearer " + std::string(key));
    if (!body.empty()) {
      req.set(bhttp::field::content_type, "application/json");
      req.body() = std::string(body);
    }
    req.prepare_payload();
    bhttp::write(socket, req);
  }

  static bhttp::response<bhttp::string_body> Read(tcp::socket& socket, beast::error_code& ec) {
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(socket, buffer, res, ec);
    return res;
  }

  FakeClock clock_;
  asio::io_context io_{1};
  asio::io_context client_io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread thread_;
  std::unique_ptr<MockProvider> provider_;
};

TEST_F(MockProviderTest, AnswersChatOverKeepAlive) {
  StartProvider({});
  tcp::socket socket = Connect();
  for (int i = 0; i < 3; ++i) {
    Send(socket, bhttp::verb::post, "/v1/chat/completions", kChat);
    beast::error_code ec;
    auto res = Read(socket, ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_TRUE(res.keep_alive());
    EXPECT_FALSE(res["x-request-id"].empty());
    auto body = boost::json::parse(res.body()).as_object();
    EXPECT_EQ(body.at("object"), "chat.completion");
  }
  MockStats stats = provider_->Stats();
  EXPECT_EQ(stats.received, 3u);
  EXPECT_EQ(stats.answered, 3u);
  EXPECT_EQ(stats.DuplicateRequests(), 2u);
}

TEST_F(MockProviderTest, StreamsServerSentEventsUntilDone) {
  StartProvider({});
  tcp::socket socket = Connect();
  Send(
      socket, bhttp::verb::post, "/v1/chat/completions",
      R"({"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]})");
  beast::error_code ec;
  auto res = Read(socket, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[bhttp::field::content_type], "text/event-stream; charset=utf-8");
  EXPECT_TRUE(res.body().starts_with("data: {"));
  EXPECT_TRUE(res.body().ends_with("data: [DONE]\n\n"));
  EXPECT_NE(res.body().find("\"choices\":[],\"usage\":{"), std::string::npos);
}

TEST_F(MockProviderTest, WaitsTimeToFirstByteOnTheInjectedClock) {
  MockOptions o;
  o.time_to_first_byte = std::chrono::seconds(5);
  StartProvider(o);
  tcp::socket socket = Connect();
  Send(socket, bhttp::verb::post, "/v1/chat/completions", kChat);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (clock_.PendingCallbacks() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  ASSERT_EQ(clock_.PendingCallbacks(), 1u);
  EXPECT_EQ(socket.available(), 0u);  // nothing sent before the clock moves
  clock_.Advance(std::chrono::seconds(5));
  beast::error_code ec;
  auto res = Read(socket, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result_int(), 200);
}

TEST_F(MockProviderTest, ResetFaultBreaksTheResponseMidBody) {
  MockOptions o;
  o.faults.reset = 1;
  StartProvider(o);
  tcp::socket socket = Connect();
  Send(socket, bhttp::verb::post, "/v1/chat/completions", kChat);
  beast::error_code ec;
  (void)Read(socket, ec);
  EXPECT_TRUE(ec) << "a complete response arrived";
  EXPECT_EQ(provider_->Stats().faults.reset, 1u);
}

TEST_F(MockProviderTest, HangHoldsTheRequestUntilDrain) {
  MockOptions o;
  o.faults.hang = 1;
  StartProvider(o);
  tcp::socket socket = Connect();
  Send(socket, bhttp::verb::post, "/v1/chat/completions", kChat);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (provider_->Stats().faults.hang == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  ASSERT_EQ(provider_->Stats().faults.hang, 1u);
  EXPECT_EQ(socket.available(), 0u);
  provider_->Drain();
  beast::error_code ec;
  (void)Read(socket, ec);
  EXPECT_TRUE(ec) << "a hanging request was answered";
}

TEST_F(MockProviderTest, MalformedFaultIsStatus200WithBrokenJson) {
  MockOptions o;
  o.faults.malformed = 1;
  StartProvider(o);
  tcp::socket socket = Connect();
  Send(socket, bhttp::verb::post, "/v1/chat/completions", kChat);
  beast::error_code ec;
  auto res = Read(socket, ec);
  ASSERT_FALSE(ec);
  EXPECT_EQ(res.result_int(), 200);
  boost::system::error_code parse_error;
  boost::json::parse(res.body(), parse_error);
  EXPECT_TRUE(parse_error);
}

TEST_F(MockProviderTest, StatsEndpointAndUnauthorized) {
  MockOptions o;
  o.required_api_key = "sk-secret-0001";
  StartProvider(o);
  tcp::socket socket = Connect();
  Send(socket, bhttp::verb::post, "/v1/chat/completions", kChat, "sk-wrong-0002");
  beast::error_code ec;
  auto denied = Read(socket, ec);
  ASSERT_FALSE(ec);
  EXPECT_EQ(denied.result_int(), 401);
  Send(socket, bhttp::verb::get, "/mock/stats");
  auto stats = Read(socket, ec);
  ASSERT_FALSE(ec);
  auto body = boost::json::parse(stats.body()).as_object();
  EXPECT_EQ(body.at("received"), 1);
  EXPECT_EQ(body.at("unauthorized"), 1);
  EXPECT_EQ(body.at("bodies").as_object().size(), 1u);
}

TEST(MockProviderStartTest, RejectsInvalidOptionsAndBusyPorts) {
  asio::io_context io;
  FakeClock clock;
  MockOptions bad;
  bad.rpm = -1;
  EXPECT_EQ(MockProvider::Start(io, bad, clock).status().code(), StatusCode::kInvalidArgument);
  auto first = MockProvider::Start(io, {}, clock);
  ASSERT_TRUE(first.ok());
  MockOptions same_port;
  same_port.port = (*first)->port();
  EXPECT_FALSE(MockProvider::Start(io, same_port, clock).ok());
}

}  // namespace
}  // namespace sluice::mock
