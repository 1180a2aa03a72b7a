// Client: an HTTP/1.1 client on Boost.Beast with a keep-alive pool per origin, TLS with
// certificate verification (system store + SNI), and deadlines on every step. Every failure is a
// Status: kUnavailable for refused/reset/DNS/TLS failures (retryable), kDeadlineExceeded for a
// passed deadline, kInvalidArgument for a bad URL, kResourceExhausted for an oversize response.
// Threading: one Client belongs to one executor (strand); call it only from coroutines running
// there. DNS resolution is asynchronous and never blocks the loop. The Client must outlive the
// Send/Open calls in flight; a ResponseStream may outlive the Client.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "http/message.h"

namespace sluice::http {

struct ClientOptions {
  std::size_t max_connections_per_origin = 256;  // further requests wait for a free connection
  Duration connect_timeout = std::chrono::seconds(10);      // DNS + TCP + TLS handshake
  Duration first_byte_timeout = std::chrono::seconds(120);  // request sent -> response head
  Duration total_timeout = std::chrono::seconds(600);       // whole exchange, body included
  // Open: the longest wait for the next piece of a streamed body. A stream's body is bound by
  // this gap, not by total_timeout, so a long generation that keeps sending is never cut.
  Duration stream_idle_timeout = std::chrono::seconds(60);
  Duration idle_timeout = std::chrono::seconds(60);         // pooled connection kept this long
  std::size_t max_response_bytes = 64 * 1024 * 1024;
  std::string extra_ca_file;  // PEM trusted in addition to the system store (tests)
  bool verify_peer = true;
};

struct ClientRequest {
  std::string method = "POST";
  std::string url;  // absolute: "https://api.openai.com/v1/chat/completions"
  Headers headers;
  std::string body;
  std::optional<Duration> total_timeout;  // overrides ClientOptions::total_timeout
  std::optional<Duration> stream_idle_timeout;  // overrides ClientOptions::stream_idle_timeout
};

// A response whose body is read piece by piece (chunked, SSE). Destroying it before the end
// closes the connection instead of returning it to the pool.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  virtual int status() const = 0;
  virtual const Headers& headers() const = 0;
  // The next piece of the body as it arrives; std::nullopt at the end of the body.
  // kDeadlineExceeded ("stream_idle_timeout (60000ms) passed ...") when none comes in time.
  virtual boost::asio::awaitable<Result<std::optional<std::string>>> Next() = 0;
};

class Client {
 public:
  virtual ~Client() = default;
  static std::unique_ptr<Client> Create(boost::asio::any_io_executor executor,
                                        ClientOptions options);

  // Sends the request and reads the whole response.
  virtual boost::asio::awaitable<Result<Response>> Send(ClientRequest request) = 0;
  // Sends the request and returns once the response head has arrived (within total_timeout);
  // then each piece of the body must come within stream_idle_timeout of the one before.
  virtual boost::asio::awaitable<Result<std::unique_ptr<ResponseStream>>> Open(
      ClientRequest request) = 0;
};

}  // namespace sluice::http
