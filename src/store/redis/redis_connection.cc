// RedisConnection over Asio: each step is an async operation run on the connection's own
// io_context with run_for(deadline); when the deadline passes first the socket is closed, which
// ends the operation, and the connection is broken.
#include "store/redis/redis_connection.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <optional>

#include "http/tls_client_context.h"

namespace sluice::store::redis {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

struct RedisConnection::State {
  State(RedisUrl target, ConnectionOptions chosen)
      : url(std::move(target)), options(chosen), socket(io) {}

  // Runs what `start` began until it calls back or `timeout` passes. False on timeout.
  bool RunFor(std::chrono::milliseconds timeout, const bool& done) {
    io.restart();
    io.run_for(timeout);
    if (done) return true;
    error_code ignored;
    socket.close(ignored);  // cancels the operation; let its handler run before returning
    io.restart();
    io.run();
    return false;
  }

  template <typename Operation>
  Status Step(std::string_view what, std::chrono::milliseconds timeout, Operation operation) {
    bool done = false;
    error_code result;
    operation([&](const error_code& ec, auto&&...) {
      result = ec;
      done = true;
    });
    if (!RunFor(timeout, done)) {
      broken = true;
      return UnavailableError("Redis at " + url.Redacted() + ": timed out " + std::string(what));
    }
    if (result) {
      broken = true;
      return UnavailableError("Redis at " + url.Redacted() + ": " + std::string(what) + ": " +
                              result.message());
    }
    return OkStatus();
  }

  template <typename Handler>
  void AsyncWrite(const std::string& bytes, Handler handler) {
    if (tls) {
      asio::async_write(*tls, asio::buffer(bytes), std::move(handler));
    } else {
      asio::async_write(socket, asio::buffer(bytes), std::move(handler));
    }
  }

  template <typename Handler>
  void AsyncReadSome(Handler handler) {
    if (tls) {
      tls->async_read_some(asio::buffer(chunk), std::move(handler));
    } else {
      socket.async_read_some(asio::buffer(chunk), std::move(handler));
    }
  }

  Status Connect() {
    auto deadline = std::chrono::steady_clock::now() + options.connect_timeout;
    auto left = [&] {
      return std::max(std::chrono::milliseconds(1),
                      std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now()));
    };
    tcp::resolver resolver(io);
    tcp::resolver::results_type endpoints;
    SLUICE_RETURN_IF_ERROR(Step("resolving the host", left(), [&](auto handler) {
      resolver.async_resolve(url.host, std::to_string(url.port),
                             [&endpoints, handler](const error_code& ec, auto results) mutable {
                               endpoints = std::move(results);
                               handler(ec);
                             });
    }));
    SLUICE_RETURN_IF_ERROR(Step("connecting", left(), [&](auto handler) {
      asio::async_connect(socket, endpoints, std::move(handler));
    }));
    socket.set_option(tcp::no_delay(true));
    if (!url.tls) return OkStatus();
    SLUICE_ASSIGN_OR_RETURN(tls_context, http::MakeTlsClientContext("", true));
    tls.emplace(socket, tls_context->context);
    error_code not_an_address;
    asio::ip::make_address(url.host, not_an_address);
    // SNI names a host; an IP literal is not sent (RFC 6066), the certificate must then name it.
    if (not_an_address && SSL_set_tlsext_host_name(tls->native_handle(), url.host.c_str()) != 1) {
      return InternalError("cannot set TLS SNI for " + url.host);
    }
    tls->set_verify_callback(asio::ssl::host_name_verification(url.host));
    return Step("in the TLS handshake", left(), [&](auto handler) {
      tls->async_handshake(asio::ssl::stream_base::client, std::move(handler));
    });
  }

  Result<std::vector<Reply>> Pipeline(const std::vector<std::vector<std::string>>& commands) {
    if (broken) return UnavailableError("Redis at " + url.Redacted() + ": connection lost");
    std::string bytes;
    for (const auto& command : commands) bytes += EncodeCommand(command);
    auto deadline = std::chrono::steady_clock::now() + options.call_timeout;
    SLUICE_RETURN_IF_ERROR(Step("writing a command", options.call_timeout,
                                [&](auto handler) { AsyncWrite(bytes, std::move(handler)); }));
    std::vector<Reply> replies;
    while (replies.size() < commands.size()) {
      auto parsed = ParseReply(input, &parsed_until);
      if (!parsed.ok()) {
        broken = true;
        return parsed.status();
      }
      if (*parsed) {
        replies.push_back(std::move(**parsed));
        continue;
      }
      input.erase(0, parsed_until);
      parsed_until = 0;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      std::size_t got = 0;
      SLUICE_RETURN_IF_ERROR(Step(
          "waiting for a reply", std::max(left, std::chrono::milliseconds(1)), [&](auto handler) {
            AsyncReadSome([&got, handler](const error_code& ec, std::size_t n) mutable {
              got = n;
              handler(ec);
            });
          }));
      input.append(chunk.data(), got);
    }
    input.erase(0, parsed_until);
    parsed_until = 0;
    return replies;
  }

  RedisUrl url;
  ConnectionOptions options;
  asio::io_context io;
  tcp::socket socket;
  std::shared_ptr<http::TlsClientContext> tls_context;
  std::optional<asio::ssl::stream<tcp::socket&>> tls;
  std::array<char, 16384> chunk{};
  std::string input;             // received, not yet returned
  std::size_t parsed_until = 0;  // of `input`
  bool broken = false;
};

RedisConnection::RedisConnection(std::unique_ptr<State> state) : state_(std::move(state)) {}
RedisConnection::~RedisConnection() = default;

bool RedisConnection::broken() const { return state_->broken; }

Result<std::vector<Reply>> RedisConnection::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  return state_->Pipeline(commands);
}

Result<std::unique_ptr<RedisConnection>> RedisConnection::Open(const RedisUrl& url,
                                                               const ConnectionOptions& options) {
  auto state = std::make_unique<State>(url, options);
  SLUICE_RETURN_IF_ERROR(state->Connect());
  std::vector<std::vector<std::string>> hello;
  if (!url.password.empty()) {
    if (url.user.empty()) {
      hello.push_back({"AUTH", url.password});
    } else {
      hello.push_back({"AUTH", url.user, url.password});
    }
  }
  if (url.db != 0) hello.push_back({"SELECT", std::to_string(url.db)});
  hello.push_back({"PING"});
  SLUICE_ASSIGN_OR_RETURN(std::vector<Reply> replies, state->Pipeline(hello));
  for (const Reply& reply : replies) {
    if (!reply.is_error()) continue;
    std::string why = "Redis at " + url.Redacted() + " refused us: " + reply.text;
    if (reply.text.starts_with("WRONGPASS") || reply.text.starts_with("NOAUTH")) {
      return PermissionDeniedError(why);
    }
    return UnavailableError(why);
  }
  return std::unique_ptr<RedisConnection>(new RedisConnection(std::move(state)));
}

}  // namespace sluice::store::redis
