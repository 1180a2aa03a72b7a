// ServerCore: listening, the accept loop, the connection registry and graceful drain.
#include "http/server_core.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <string>

#include "http/server_connection.h"

namespace sluice::http {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
// After accept fails for lack of file descriptors, wait this long before trying again.
constexpr auto kAcceptBackoff = std::chrono::milliseconds(50);

// Connections being refused at once, at most; and how long each may take to be told.
constexpr int kMaxRefusing = 64;
constexpr auto kRefusalTimeout = std::chrono::seconds(1);

std::string RefusalBytes() {
  std::string body = ErrorBody({.status = 503,
                                .type = "server_error",
                                .message = "sluice has too many open connections "
                                           "(max_connections); retry later",
                                .code = "too_many_connections",
                                .param = std::nullopt});
  return "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n"
         "connection: close\r\nretry-after: 1\r\ncontent-length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

// Writes the 503, then reads (and drops) what the client sent until it closes or the timeout
// passes: closing with its request unread would reset the connection before the client read
// the answer.
asio::awaitable<void> WriteRefusal(tcp::socket socket) {
  asio::steady_timer deadline(socket.get_executor(), kRefusalTimeout);
  deadline.async_wait([&socket](boost::system::error_code ec) {
    boost::system::error_code ignored;
    if (!ec) socket.close(ignored);
  });
  static const std::string refusal = RefusalBytes();
  auto [written, n] = co_await asio::async_write(socket, asio::buffer(refusal), kAwait);
  boost::system::error_code ignored;
  if (!written) {
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    char sink[4096];
    for (;;) {
      auto [ec, read] = co_await socket.async_read_some(asio::buffer(sink), kAwait);
      if (ec) break;
    }
  }
  deadline.cancel();
  socket.close(ignored);
}

std::string EndpointText(const tcp::endpoint& endpoint) {
  std::string host = endpoint.address().to_string();
  if (endpoint.address().is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(endpoint.port());
}
}  // namespace

ServerCore::ServerCore(asio::io_context& io, ServerOptions options, Handler handler,
                       std::unique_ptr<asio::ssl::context> tls)
    : io_(io),
      options_(std::move(options)),
      handler_(std::move(handler)),
      tls_(std::move(tls)),
      strand_(asio::make_strand(io)),
      acceptor_(strand_),
      drain_timer_(strand_) {}

Status ServerCore::Listen(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  auto fail = [&](boost::system::error_code error) {  // a copy: close() below resets `ec`
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    return UnavailableError("cannot listen on " + EndpointText(endpoint) + ": " + error.message());
  };
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return fail(ec);
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return fail(ec);
  acceptor_.bind(endpoint, ec);
  if (ec) return fail(ec);
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail(ec);
  tcp::endpoint bound = acceptor_.local_endpoint(ec);
  if (ec) return fail(ec);
  port_ = bound.port();
  return OkStatus();
}

void ServerCore::StartAccepting() {
  asio::co_spawn(strand_, AcceptLoop(shared_from_this()), asio::detached);
}

asio::awaitable<void> ServerCore::AcceptLoop(std::shared_ptr<ServerCore> self) {
  while (!self->drain_started_) {
    auto [ec, socket] = co_await self->acceptor_.async_accept(
        asio::any_io_executor(asio::make_strand(self->io_)), kAwait);
    if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) break;
    if (ec) {
      if (ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space) {
        asio::steady_timer backoff(self->strand_, kAcceptBackoff);
        co_await backoff.async_wait(kAwait);
      }
      continue;  // e.g. a client that reset before we accepted it
    }
    if (self->AtConnectionCap()) {
      self->Refuse(std::move(socket));
      continue;
    }
    SpawnConnection(self, std::move(socket));
  }
  self->accept_stopped_ = true;
  self->MaybeFinishOnStrand();
}

bool ServerCore::AtConnectionCap() {
  if (options_.max_connections == 0) return false;
  std::lock_guard lock(mu_);
  return connections_.size() >= options_.max_connections;
}

void ServerCore::Refuse(tcp::socket socket) {
  // Refusals are bounded too: past kMaxRefusing (or on TLS, where a plain answer is garbage)
  // the connection is just closed.
  if (tls_ != nullptr || refusing_.load() >= kMaxRefusing) {
    boost::system::error_code ignored;
    socket.close(ignored);
    return;
  }
  ++refusing_;
  asio::co_spawn(socket.get_executor(), WriteRefusal(std::move(socket)),
                 [self = shared_from_this()](std::exception_ptr) { --self->refusing_; });
}

void ServerCore::Add(const std::shared_ptr<ConnectionControl>& connection) {
  std::lock_guard lock(mu_);
  connections_.emplace(connection.get(), connection);
}

void ServerCore::Remove(ConnectionControl* connection) {
  bool last;
  {
    std::lock_guard lock(mu_);
    connections_.erase(connection);
    last = connections_.empty();
  }
  if (last && draining()) {
    asio::post(strand_, [self = shared_from_this()] { self->MaybeFinishOnStrand(); });
  }
}

std::vector<std::shared_ptr<ConnectionControl>> ServerCore::LiveConnections() {
  std::vector<std::shared_ptr<ConnectionControl>> live;
  std::lock_guard lock(mu_);
  live.reserve(connections_.size());
  for (auto& [raw, weak] : connections_) {
    if (auto connection = weak.lock()) live.push_back(std::move(connection));
  }
  return live;
}

void ServerCore::Drain(std::function<void()> done) {
  asio::post(strand_, [self = shared_from_this(), done = std::move(done)]() mutable {
    if (done) {
      if (self->finished_) {
        asio::post(self->io_, std::move(done));
      } else {
        self->done_.push_back(std::move(done));
      }
    }
    self->BeginDrainOnStrand();
  });
}

void ServerCore::BeginDrainOnStrand() {
  if (drain_started_) return;
  drain_started_ = true;
  draining_.store(true, std::memory_order_release);
  boost::system::error_code ec;
  acceptor_.close(ec);
  for (auto& connection : LiveConnections()) connection->NotifyDrain();
  drain_timer_.expires_after(options_.drain_timeout);
  drain_timer_.async_wait([self = shared_from_this()](boost::system::error_code error) {
    if (error) return;  // cancelled: every connection closed in time
    for (auto& connection : self->LiveConnections()) connection->ForceClose();
  });
  MaybeFinishOnStrand();
}

void ServerCore::MaybeFinishOnStrand() {
  if (finished_ || !drain_started_ || !accept_stopped_) return;
  {
    std::lock_guard lock(mu_);
    if (!connections_.empty()) return;
  }
  finished_ = true;
  drain_timer_.cancel();
  for (auto& done : done_) asio::post(io_, std::move(done));
  done_.clear();
}

void ServerCore::Shutdown() {
  asio::post(strand_, [self = shared_from_this()] {
    self->BeginDrainOnStrand();
    for (auto& connection : self->LiveConnections()) connection->ForceClose();
  });
}

}  // namespace sluice::http
