// Server: an HTTP/1.1 server on Boost.Beast with C++20 coroutines. It owns sockets, limits,
// timeouts, keep-alive and graceful drain; handlers only see an Exchange.
// Threading: the server and every connection run on the io_context given to Start; a handler
// runs on that io_context's thread(s) and must not block.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "http/message.h"

namespace sluice::http {

struct TlsServerOptions {
  std::string certificate_chain_file;  // PEM
  std::string private_key_file;        // PEM
};

struct ServerOptions {
  std::string host = "127.0.0.1";  // an address to bind, not a name to resolve
  std::uint16_t port = 0;          // 0: any free port (see Server::port())
  std::size_t max_header_bytes = 16 * 1024;         // larger: 431 with a JSON error
  std::size_t max_body_bytes = 32 * 1024 * 1024;    // larger: 413 with a JSON error
  Duration read_timeout = std::chrono::seconds(30);  // from a request's first byte to its end
  Duration idle_timeout = std::chrono::seconds(75);  // keep-alive wait for the next request
  Duration drain_timeout = std::chrono::seconds(10); // Drain(): how long in-flight work may take
  std::optional<TlsServerOptions> tls;               // set: HTTPS only
};

// One request and its response. Exactly one of Respond or BeginStream..EndStream is used, or
// Reset. If a handler returns without answering, the server answers 500 in OpenAI's shape.
class Exchange {
 public:
  virtual ~Exchange() = default;
  virtual const Request& request() const = 0;

  // Sends a complete response (content-length framing). An error means the client went away.
  virtual boost::asio::awaitable<Status> Respond(Response response) = 0;

  // Chunked transfer: the head now, then each WriteChunk as one chunk flushed at once (SSE).
  virtual boost::asio::awaitable<Status> BeginStream(int status, Headers headers) = 0;
  virtual boost::asio::awaitable<Status> WriteChunk(std::string_view data) = 0;
  virtual boost::asio::awaitable<Status> EndStream() = 0;

  // Drops the connection at once with a TCP reset, mid-response if a stream was begun (fault
  // injection in the mock). The connection is not reused.
  virtual void Reset() = 0;

  // True once the server is draining: long streams should finish up.
  virtual bool draining() const = 0;
};

using Handler = std::function<boost::asio::awaitable<void>(Exchange&)>;

class Server {
 public:
  virtual ~Server() = default;

  // Binds and starts accepting on `io`. Fails with a clear Status (kUnavailable "address
  // 127.0.0.1:8080 already in use", kInvalidArgument for a bad host or TLS file) without throwing.
  static Result<std::unique_ptr<Server>> Start(boost::asio::io_context& io, ServerOptions options,
                                               Handler handler);

  // The bound port (useful with port 0).
  virtual std::uint16_t port() const = 0;

  // Stops accepting, lets in-flight exchanges finish for up to drain_timeout, closes idle
  // keep-alive connections, then closes the rest. Safe to call from any thread, more than once;
  // `done` (optional) runs on the io_context when every connection is closed.
  virtual void Drain(std::function<void()> done = nullptr) = 0;
};

}  // namespace sluice::http
