// ServerHarness and TlsGet for server tests.
#include "http/testing/server_harness.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <tuple>

namespace sluice::http::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;

ServerHarness::ServerHarness(ServerOptions options, Handler handler, int io_threads)
    : work_(asio::make_work_guard(io_)) {
  auto server = Server::Start(io_, std::move(options), std::move(handler));
  start_ = server.status();
  if (server.ok()) server_ = std::move(*server);
  for (int i = 0; i < io_threads; ++i) threads_.emplace_back([this] { io_.run(); });
}

ServerHarness::~ServerHarness() {
  std::promise<void> drained;
  if (server_) {
    server_->Drain([&] { drained.set_value(); });
    if (drained.get_future().wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
      std::fprintf(stderr, "ServerHarness: drain did not finish within 10 s\n");
    }
  }
  work_.reset();
  io_.stop();
  for (std::thread& thread : threads_) thread.join();
}

RawConnection ServerHarness::Connect() {
  Result<RawConnection> conn = RawConnection::Connect(port());
  if (!conn.ok()) {
    std::fprintf(stderr, "ServerHarness: %s\n", conn.status().ToString().c_str());
    std::abort();
  }
  return std::move(conn).value();
}

namespace {

asio::awaitable<void> TlsGetCoroutine(beast::ssl_stream<beast::tcp_stream>* stream,
                                      std::uint16_t port, std::string target,
                                      Result<std::string>* result) {
  constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
  auto fail = [result](const char* step, const boost::system::error_code& ec) {
    *result = UnavailableError(std::string(step) + ": " + ec.message());
  };
  auto [ec] = co_await beast::get_lowest_layer(*stream).async_connect(
      asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), kAwait);
  if (ec) co_return fail("connect", ec);
  std::tie(ec) = co_await stream->async_handshake(asio::ssl::stream_base::client, kAwait);
  if (ec) co_return fail("handshake", ec);
  beast::http::request<beast::http::empty_body> request(beast::http::verb::get, target, 11);
  request.set(beast::http::field::host, "localhost");
  std::size_t n;
  std::tie(ec, n) = co_await beast::http::async_write(*stream, request, kAwait);
  if (ec) co_return fail("write", ec);
  beast::flat_buffer buffer;
  beast::http::response<beast::http::string_body> response;
  std::tie(ec, n) = co_await beast::http::async_read(*stream, buffer, response, kAwait);
  if (ec) co_return fail("read", ec);
  *result = std::move(response.body());
}

}  // namespace

Result<std::string> TlsGet(std::uint16_t port, const std::string& ca_file, std::string target) {
  asio::io_context io;
  asio::ssl::context context(asio::ssl::context::tls_client);
  boost::system::error_code ec;
  context.load_verify_file(ca_file, ec);
  if (ec) return InvalidArgumentError("CA file: " + ec.message());
  context.set_verify_mode(asio::ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(io, context);
  SSL_set_tlsext_host_name(stream.native_handle(), "localhost");
  stream.set_verify_callback(asio::ssl::host_name_verification("localhost"));
  Result<std::string> result = DeadlineExceededError("no TLS response within 10 s");
  asio::co_spawn(io, TlsGetCoroutine(&stream, port, std::move(target), &result), asio::detached);
  io.run_for(std::chrono::seconds(10));
  return result;
}

}  // namespace sluice::http::testing
