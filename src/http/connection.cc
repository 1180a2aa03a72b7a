// Connection: the steps of one client exchange on Beast; see connection.h. Timeouts use
// beast::tcp_stream's expiry (it closes the socket when a deadline passes mid-operation), DNS
// runs on Asio's resolver with a timer that cancels it.
#include "http/connection.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <chrono>
#include <utility>

namespace sluice::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using Tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::uint32_t kMaxHeadBytes = 64 * 1024;

Status DeadlinePassed(const Deadline& deadline, std::string_view doing, std::string_view origin) {
  return DeadlineExceededError(DescribeDeadline(deadline) + " passed while " + std::string(doing) +
                               " " + std::string(origin));
}

// Resolves a name (IP literals skip DNS) to the endpoints to try, before `deadline`.
asio::awaitable<Result<std::vector<Tcp::endpoint>>> Resolve(asio::any_io_executor executor, Url url,
                                                            Deadline deadline) {
  std::vector<Tcp::endpoint> endpoints;
  if (url.host_is_ip) {
    error_code ec;
    asio::ip::address address = asio::ip::make_address(url.host, ec);
    if (ec) co_return InvalidArgumentError("bad IP address \"" + url.host + "\"");
    endpoints.emplace_back(address, url.port);
    co_return endpoints;
  }
  struct Lookup {
    explicit Lookup(asio::any_io_executor ex) : resolver(std::move(ex)) {}
    Tcp::resolver resolver;
    bool timed_out = false;
  };
  auto lookup = std::make_shared<Lookup>(executor);
  asio::steady_timer timer(executor, deadline.at);
  timer.async_wait([weak = std::weak_ptr<Lookup>(lookup)](error_code ec) {
    auto alive = weak.lock();
    if (ec || !alive) return;
    alive->timed_out = true;
    alive->resolver.cancel();
  });
  auto [ec, results] =
      co_await lookup->resolver.async_resolve(url.host, std::to_string(url.port), kUseTuple);
  timer.cancel();
  if (lookup->timed_out) co_return DeadlinePassed(deadline, "resolving", url.origin);
  if (ec) co_return UnavailableError("DNS lookup of " + url.host + " failed: " + ec.message());
  for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  co_return endpoints;
}

asio::awaitable<Result<beast::tcp_stream>> ConnectTcp(asio::any_io_executor executor, Url url,
                                                      Deadline deadline) {
  auto endpoints = co_await Resolve(executor, url, deadline);
  if (!endpoints.ok()) co_return endpoints.status();
  beast::tcp_stream stream(executor);
  stream.expires_at(deadline.at);
  auto [ec, endpoint] = co_await stream.async_connect(*endpoints, kUseTuple);
  if (ec == beast::error::timeout) co_return DeadlinePassed(deadline, "connecting to", url.origin);
  if (ec) co_return UnavailableError("connecting to " + url.origin + " failed: " + ec.message());
  stream.socket().set_option(Tcp::no_delay(true), ec);
  co_return std::move(stream);
}

Status HandshakeFailure(const error_code& ec, Connection::SslStream& ssl, const Url& url) {
  long verify = SSL_get_verify_result(ssl.native_handle());
  bool verify_failed =
      verify != X509_V_OK ||
      (ec.category() == asio::error::get_ssl_category() &&
       ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_CERTIFICATE_VERIFY_FAILED);
  if (verify_failed) {
    std::string why = verify != X509_V_OK ? X509_verify_cert_error_string(verify)
                                          : "the certificate does not match " + url.host;
    return UnavailableError("TLS certificate verification failed for " + url.origin + ": " + why);
  }
  return UnavailableError("TLS handshake with " + url.origin + " failed: " + ec.message());
}

asio::awaitable<Result<Connection::SslStream>> Handshake(beast::tcp_stream tcp, Url url,
                                                         std::shared_ptr<TlsClientContext> tls,
                                                         Deadline deadline) {
  Connection::SslStream ssl(std::move(tcp), tls->context);
  if (!url.host_is_ip && SSL_set_tlsext_host_name(ssl.native_handle(), url.host.c_str()) != 1) {
    co_return InternalError("cannot set TLS SNI for " + url.host);
  }
  if (tls->verify_peer) {
    error_code ec;
    ssl.set_verify_callback(asio::ssl::host_name_verification(url.host), ec);
    if (ec) co_return InternalError("cannot set TLS host name verification: " + ec.message());
  }
  beast::get_lowest_layer(ssl).expires_at(deadline.at);
  auto [ec] = co_await ssl.async_handshake(asio::ssl::stream_base::client, kUseTuple);
  if (ec == beast::error::timeout) {
    co_return DeadlinePassed(deadline, "in the TLS handshake with", url.origin);
  }
  if (ec) co_return HandshakeFailure(ec, ssl, url);
  co_return std::move(ssl);
}

}  // namespace

std::string DescribeDeadline(const Deadline& deadline) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline.length).count();
  return std::string(deadline.name) + " (" + std::to_string(ms) + "ms)";
}

Connection::Connection(Stream stream, std::string origin)
    : stream_(std::move(stream)), origin_(std::move(origin)) {}

asio::awaitable<Result<std::unique_ptr<Connection>>> Connection::Open(
    asio::any_io_executor executor, Url url, std::shared_ptr<TlsClientContext> tls,
    Deadline deadline) {
  auto tcp = co_await ConnectTcp(executor, url, deadline);
  if (!tcp.ok()) co_return tcp.status();
  if (!url.tls) {
    co_return std::make_unique<Connection>(Stream(std::move(*tcp)), url.origin);
  }
  if (tls == nullptr) co_return InternalError("https without a TLS context");
  auto ssl = co_await Handshake(std::move(*tcp), url, std::move(tls), deadline);
  if (!ssl.ok()) co_return ssl.status();
  co_return std::make_unique<Connection>(Stream(std::in_place_type<SslStream>, std::move(*ssl)),
                                         url.origin);
}

asio::awaitable<Status> Connection::Write(std::string_view head, std::string_view body,
                                          Deadline deadline) {
  started_ = false;
  std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(body)};
  Arm(deadline);
  auto [ec, written] = co_await std::visit(
      [&](auto& s) { return asio::async_write(s, buffers, kUseTuple); }, stream_);
  if (ec) co_return Failure(ec, "sending the request to");
  co_return OkStatus();
}

asio::awaitable<Status> Connection::ReadHead(bool head_request, std::size_t max_body_bytes,
                                             Deadline deadline) {
  while (true) {
    parser_.emplace();
    parser_->header_limit(kMaxHeadBytes);
    parser_->body_limit(max_body_bytes);
    if (head_request) parser_->skip(true);
    Arm(deadline);
    auto [ec, read] = co_await std::visit(
        [&](auto& s) { return beast::http::async_read_header(s, buffer_, *parser_, kUseTuple); },
        stream_);
    if (ec) {
      started_ = started_ || parser_->got_some() || buffer_.size() > 0;
      co_return Failure(ec, "waiting for the response head from");
    }
    started_ = true;
    int code = parser_->get().result_int();
    if (code < 100 || code >= 200 || code == 101) co_return OkStatus();
  }
}

asio::awaitable<Result<std::size_t>> Connection::ReadBody(char* data, std::size_t size, bool fill,
                                                          Deadline deadline) {
  auto& body = parser_->get().body();
  body.data = data;
  body.size = size;
  Arm(deadline);
  auto start_read = [&](auto& s) {
    return fill ? beast::http::async_read(s, buffer_, *parser_, kUseTuple)
                : beast::http::async_read_some(s, buffer_, *parser_, kUseTuple);
  };
  auto [ec, read] = co_await std::visit(start_read, stream_);
  if (ec == beast::http::error::need_buffer) ec = {};
  if (ec) co_return Failure(ec, "reading the response body from");
  co_return size - parser_->get().body().size;
}

int Connection::status() const { return parser_->get().result_int(); }

Headers Connection::ResponseHeaders() const {
  Headers headers;
  for (const auto& field : parser_->get()) {
    headers.Add(std::string(field.name_string()), std::string(field.value()));
  }
  return headers;
}

std::optional<std::uint64_t> Connection::content_length() const {
  auto length = parser_->content_length();
  if (!length) return std::nullopt;
  return *length;
}

bool Connection::done() const { return parser_ && parser_->is_done(); }

bool Connection::reusable() const {
  return done() && parser_->get().keep_alive() && !parser_->need_eof() && buffer_.size() == 0;
}

bool Connection::response_started() const { return started_; }

beast::tcp_stream& Connection::Lowest() {
  return std::visit([](auto& s) -> beast::tcp_stream& { return beast::get_lowest_layer(s); },
                    stream_);
}

void Connection::Arm(const Deadline& deadline) {
  armed_ = deadline;
  Lowest().expires_at(deadline.at);
}

Status Connection::Failure(const error_code& ec, std::string_view doing) const {
  namespace http = beast::http;
  if (ec == beast::error::timeout) return DeadlinePassed(armed_, doing, origin_);
  if (ec == http::error::body_limit) {
    return ResourceExhaustedError("the response from " + origin_ +
                                  " is larger than max_response_bytes");
  }
  if (ec == http::error::header_limit) {
    return ResourceExhaustedError("the response head from " + origin_ + " is larger than " +
                                  std::to_string(kMaxHeadBytes) + " bytes");
  }
  if (ec == http::error::end_of_stream) {
    return UnavailableError(origin_ + " closed the connection before responding");
  }
  if (ec == http::error::partial_message) {
    return UnavailableError(origin_ + " closed the connection mid-response");
  }
  if (ec.category() == http::make_error_code(http::error::bad_version).category()) {
    return UnavailableError("malformed response from " + origin_ + ": " + ec.message());
  }
  return UnavailableError(std::string(doing) + " " + origin_ + " failed: " + ec.message());
}

}  // namespace sluice::http
