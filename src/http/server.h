// Server: an HTTP/1.1 server on Boost.Beast with C++20 coroutines. It owns sockets, limits,
// timeouts, keep-alive and graceful drain; handlers only see an Exchange.
// Threading: the server and every connection run on the io_context given to Start, which may be
// run by one or several threads: each connection is a coroutine on its own strand. A handler
// runs on its connection's strand and must not block.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "http/message.h"

namespace sluice::http {

struct TlsServerOptions {
  std::string certificate_chain_file;  // PEM
  std::string private_key_file;        // PEM
};

struct ServerOptions {
  std::string host = "127.0.0.1";                     // an address to bind, not a name to resolve
  std::uint16_t port = 0;                             // 0: any free port (see Server::port())
  std::size_t max_header_bytes = 16 * 1024;           // larger: 431 with a JSON error
  std::size_t max_body_bytes = 32 * 1024 * 1024;      // larger: 413 with a JSON error
  Duration read_timeout = std::chrono::seconds(30);   // from a request's first byte to its end
  Duration idle_timeout = std::chrono::seconds(75);   // keep-alive wait for the next request
  Duration write_timeout = std::chrono::seconds(30);  // each response write (chunk) to finish
  Duration drain_timeout = std::chrono::seconds(10);  // Drain(): how long in-flight work may take
  // Open connections at most; 0: no cap. A connection beyond it is answered 503 in OpenAI's
  // shape with `connection: close` before any request is read (TLS: closed at once), so memory
  // and descriptors stay bounded however many clients connect.
  std::size_t max_connections = 0;
  std::optional<TlsServerOptions> tls;                // set: HTTPS only
  // Picks the requests whose body the handler reads itself, piece by piece, with
  // Exchange::ReadBody (uploads too large to hold in memory). Called with the request's head
  // (its body empty) on the connection's strand; unset: every body is read whole first.
  std::function<bool(const Request& head)> stream_body;
  // The body limit of those requests (max_body_bytes does not apply to them).
  std::uint64_t max_streamed_body_bytes = 512ull * 1024 * 1024;
};

// One request and its response. Exactly one of Respond or BeginStream..EndStream is used, or
// Reset; a second answer fails with kFailedPrecondition. If a handler returns without answering
// (or throws), the server answers 500 in OpenAI's shape; if it returns mid-stream, the
// connection is closed so the client sees a cut response. Call only from the handler's
// coroutine; the Exchange lives until the handler returns.
class Exchange {
 public:
  virtual ~Exchange() = default;
  // For a request picked by ServerOptions::stream_body, the body is empty: read it with ReadBody.
  virtual const Request& request() const = 0;

  // The next piece of the request body (at most 64 KiB); empty once the body has ended. The view
  // is valid until the next call. For a request whose body was read whole, the first call
  // returns all of request().body. The first call answers `expect: 100-continue`. Each call waits
  // at most read_timeout for its piece. Errors: kResourceExhausted past max_streamed_body_bytes
  // (answer 413), kInvalidArgument for a malformed chunked body, kDeadlineExceeded when the
  // client is too slow, kUnavailable when it went away. After an error or if the handler answers
  // before the body ended, the connection closes after the response instead of being reused.
  virtual boost::asio::awaitable<Result<std::string_view>> ReadBody() = 0;

  // Sends a complete response (content-length framing; the server sets content-length,
  // transfer-encoding and connection itself). kUnavailable means the client went away.
  virtual boost::asio::awaitable<Status> Respond(Response response) = 0;

  // Chunked transfer: the head now, then each WriteChunk as one chunk flushed at once (SSE;
  // an empty WriteChunk is a no-op). EndStream sends the last chunk.
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

  // Binds (SO_REUSEADDR) and starts accepting on `io`. Fails with a clear Status without
  // throwing: kUnavailable "cannot listen on 127.0.0.1:8080: Address already in use",
  // kInvalidArgument for a host that is not an IP address or an unusable TLS file.
  // Destroying the Server stops accepting and closes every connection (they finish on `io`).
  static Result<std::unique_ptr<Server>> Start(boost::asio::io_context& io, ServerOptions options,
                                               Handler handler);

  // The bound port (useful with port 0).
  virtual std::uint16_t port() const = 0;

  // Stops accepting, lets in-flight exchanges finish for up to drain_timeout, closes idle
  // keep-alive connections, then closes the rest (cancelling their handlers' awaits). Responses
  // written during drain carry `connection: close`. Safe to call from any thread, more than
  // once; each `done` (optional) runs on the io_context once every connection is closed.
  virtual void Drain(std::function<void()> done = nullptr) = 0;
};

}  // namespace sluice::http
