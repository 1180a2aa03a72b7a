// Connection: one client-side HTTP/1.1 connection, plain or TLS, with the buffers it reuses
// from request to request, and the steps of one exchange (open, write, read head, read body).
// Every step takes a Deadline and maps every failure to a Status (see client.h).
// Threading: used by one coroutine at a time on the client's executor (the pool hands it over).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "http/message.h"
#include "http/tls_client_context.h"
#include "http/url.h"

namespace sluice::http {

// A point in time an operation must finish by, and the option it comes from (for messages).
struct Deadline {
  TimePoint at;
  std::string_view name;  // "connect_timeout", "first_byte_timeout", "total_timeout", ...
  Duration length{};

  static Deadline After(TimePoint start, std::string_view name, Duration length) {
    return Deadline{start + length, name, length};
  }
  Deadline EarlierOf(const Deadline& other) const { return other.at < at ? other : *this; }
};

class Connection {
 public:
  using SslStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;
  using Stream = std::variant<boost::beast::tcp_stream, SslStream>;

  Connection(Stream stream, std::string origin);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Resolves url.host (asynchronously; IP literals skip DNS), connects and, for https, performs
  // the TLS handshake with SNI and host name verification. `tls` is needed only for https.
  static boost::asio::awaitable<Result<std::unique_ptr<Connection>>> Open(
      boost::asio::any_io_executor executor, Url url, std::shared_ptr<TlsClientContext> tls,
      Deadline deadline);

  // Writes a serialized request head followed by the body. Both must stay valid until done.
  boost::asio::awaitable<Status> Write(std::string_view head, std::string_view body,
                                       Deadline deadline);

  // Reads a response head (skipping 1xx interim responses) into a fresh parser. A body larger
  // than max_body_bytes fails the body reads (or this call, if the head announces it).
  boost::asio::awaitable<Status> ReadHead(bool head_request, std::size_t max_body_bytes,
                                          Deadline deadline);

  // Reads body bytes into [data, data + size). fill: wait until the buffer is full or the body
  // ends; otherwise return as soon as some bytes arrived (0 is possible: framing only).
  boost::asio::awaitable<Result<std::size_t>> ReadBody(char* data, std::size_t size, bool fill,
                                                       Deadline deadline);

  // After ReadHead: the response status and head fields.
  int status() const;
  Headers ResponseHeaders() const;
  std::optional<std::uint64_t> content_length() const;
  // True once the whole response has been read.
  bool done() const;
  // True when the response is complete, keep-alive, and nothing unexpected follows it.
  bool reusable() const;
  // True when any byte of a response arrived on this connection during the current exchange.
  bool response_started() const;

  // Reused scratch space: the serialized request head and a body read buffer.
  std::string& head_buffer() { return head_buffer_; }
  std::vector<char>& read_buffer() { return read_buffer_; }

  const std::string& origin() const { return origin_; }
  TimePoint idle_since() const { return idle_since_; }
  void set_idle_since(TimePoint t) { idle_since_ = t; }

 private:
  using Parser = boost::beast::http::response_parser<boost::beast::http::buffer_body>;

  boost::beast::tcp_stream& Lowest();
  void Arm(const Deadline& deadline);
  Status Failure(const boost::system::error_code& ec, std::string_view doing) const;

  Stream stream_;
  std::string origin_;
  boost::beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  std::string head_buffer_;
  std::vector<char> read_buffer_;
  Deadline armed_{};
  bool started_ = false;
  TimePoint idle_since_{};
};

// "first_byte_timeout (100ms)".
std::string DescribeDeadline(const Deadline& deadline);

}  // namespace sluice::http
