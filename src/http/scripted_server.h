// ScriptedServer (tests only): a raw TCP server on 127.0.0.1:0 whose every accepted connection
// runs a scripted coroutine (answer fixed bytes, close mid-body, reset, never answer, garbage),
// and counts connections so tests can assert on keep-alive reuse and the pool cap.
// Threading: runs on the executor it is given (a single-threaded io_context in tests).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace sluice::http::test {

using Socket = boost::asio::ip::tcp::socket;
using RawRequest = boost::beast::http::request<boost::beast::http::string_body>;

class ScriptedServer {
 public:
  // Runs once per accepted connection; `index` numbers connections from 0. The socket is
  // closed when the script returns.
  using Script = std::function<boost::asio::awaitable<void>(Socket& socket, int index)>;

  ScriptedServer(boost::asio::any_io_executor executor, Script script);
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  std::uint16_t port() const;
  // "http://127.0.0.1:<port><target>".
  std::string Url(std::string_view target = "/") const;
  int accepted() const;        // connections accepted so far
  int max_concurrent() const;  // most connections open at the same time
  // Closes the acceptor and every open connection (their scripts see errors and end).
  void Stop();

 private:
  struct State;
  static boost::asio::awaitable<void> AcceptLoop(std::shared_ptr<State> state);
  static boost::asio::awaitable<void> Serve(std::shared_ptr<State> state, Socket socket, int index);
  std::shared_ptr<State> state_;
};

// Reads one request (head and body). False at end of stream or on any error.
boost::asio::awaitable<bool> ReadRequest(Socket& socket, boost::beast::flat_buffer& buffer,
                                         RawRequest& request);
// Writes bytes; false on error.
boost::asio::awaitable<bool> WriteBytes(Socket& socket, std::string bytes);
// Waits until the peer closes the connection (or the server stops); discards what it reads.
boost::asio::awaitable<void> WaitForClose(Socket& socket);
// Closes with a TCP reset (linger 0).
void ResetConnection(Socket& socket);
// "HTTP/1.1 <status> X\r\nContent-Length: n\r\n<extra_headers>\r\n<body>"; extra_headers are
// complete lines ("Connection: close\r\n").
std::string FixedResponse(int status, std::string_view body, std::string_view extra_headers = "");

}  // namespace sluice::http::test
