// ServerCore: the state one Server shares with its connections — options, handler, TLS context,
// the listening socket and the registry of live connections that Drain walks. Internal to http/.
// Threading: acceptor, drain timer and done callbacks live on `strand_`; the registry is guarded
// by a mutex because connections (each on its own strand) add and remove themselves.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "http/server.h"

namespace sluice::http {

// What the core may ask of a connection. Both calls are thread-safe: they post to the
// connection's own strand.
class ConnectionControl {
 public:
  virtual ~ConnectionControl() = default;
  // The server is draining: close now if waiting for a request, else after the current exchange.
  virtual void NotifyDrain() = 0;
  // Close at once and cancel whatever the connection's coroutine (and handler) awaits.
  virtual void ForceClose() = 0;
};

class ServerCore : public std::enable_shared_from_this<ServerCore> {
 public:
  // `tls` null: plain TCP.
  ServerCore(boost::asio::io_context& io, ServerOptions options, Handler handler,
             std::unique_ptr<boost::asio::ssl::context> tls);

  // Opens, binds (SO_REUSEADDR) and listens synchronously. kUnavailable when the address is
  // taken or cannot be bound.
  Status Listen(const boost::asio::ip::tcp::endpoint& endpoint);
  // Starts the accept loop (call once, after Listen succeeded).
  void StartAccepting();
  std::uint16_t port() const { return port_; }

  // See Server::Drain.
  void Drain(std::function<void()> done);
  // Stops accepting and force-closes every connection (the Server is going away).
  void Shutdown();

  const ServerOptions& options() const { return options_; }
  const Handler& handler() const { return handler_; }
  boost::asio::ssl::context* tls() const { return tls_.get(); }
  bool draining() const { return draining_.load(std::memory_order_acquire); }

  // Called by connections from their own strand.
  void Add(const std::shared_ptr<ConnectionControl>& connection);
  void Remove(ConnectionControl* connection);

 private:
  static boost::asio::awaitable<void> AcceptLoop(std::shared_ptr<ServerCore> self);
  bool AtConnectionCap();
  // Answers a connection beyond max_connections with a 503 and closes it.
  void Refuse(boost::asio::ip::tcp::socket socket);
  std::vector<std::shared_ptr<ConnectionControl>> LiveConnections();
  void BeginDrainOnStrand();
  void MaybeFinishOnStrand();

  boost::asio::io_context& io_;
  const ServerOptions options_;
  const Handler handler_;
  const std::unique_ptr<boost::asio::ssl::context> tls_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer drain_timer_;
  std::uint16_t port_ = 0;
  std::atomic<bool> draining_{false};
  std::atomic<int> refusing_{0};  // Refuse coroutines still writing their 503

  // On strand_.
  bool drain_started_ = false;
  bool accept_stopped_ = false;
  bool finished_ = false;
  std::vector<std::function<void()>> done_;

  std::mutex mu_;
  std::unordered_map<ConnectionControl*, std::weak_ptr<ConnectionControl>> connections_;
};

}  // namespace sluice::http
