// ConnectionPool, OriginPool and ConnectionLease; see connection_pool.h. A released connection or
// slot is handed directly to the first waiter, so a woken waiter never finds the pool empty.
#include "http/connection_pool.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <utility>

namespace sluice::http {

namespace asio = boost::asio;

ConnectionLease::ConnectionLease(std::shared_ptr<OriginPool> pool,
                                 std::unique_ptr<Connection> connection)
    : pool_(std::move(pool)), connection_(std::move(connection)), reused_(connection_ != nullptr) {}

ConnectionLease& ConnectionLease::operator=(ConnectionLease&& other) {
  if (this != &other) {
    Release(false);
    pool_ = std::move(other.pool_);
    connection_ = std::move(other.connection_);
    reused_ = other.reused_;
  }
  return *this;
}

ConnectionLease::~ConnectionLease() { Release(false); }

void ConnectionLease::Adopt(std::unique_ptr<Connection> connection) {
  connection_ = std::move(connection);
  reused_ = false;
}

void ConnectionLease::Discard() {
  connection_.reset();
  reused_ = false;
}

void ConnectionLease::Release(bool reusable) {
  if (pool_ == nullptr) return;
  std::shared_ptr<OriginPool> pool = std::move(pool_);
  pool_.reset();
  pool->Return(std::move(connection_), reusable);
}

OriginPool::OriginPool(std::size_t max_connections, Duration idle_timeout)
    : max_connections_(max_connections == 0 ? 1 : max_connections), idle_timeout_(idle_timeout) {}

asio::awaitable<Result<ConnectionLease>> OriginPool::Acquire(std::shared_ptr<OriginPool> pool,
                                                             Deadline deadline) {
  if (auto idle = pool->TakeIdle(std::chrono::steady_clock::now())) {
    co_return ConnectionLease(pool, std::move(idle));
  }
  if (pool->open_ < pool->max_connections_) {
    ++pool->open_;
    co_return ConnectionLease(pool, nullptr);
  }
  asio::steady_timer timer(co_await asio::this_coro::executor, deadline.at);
  Waiter waiter{&timer, false, nullptr};
  pool->waiters_.push_back(&waiter);
  // If this frame is destroyed while suspended (executor shut down), leave no dangling waiter
  // and no leaked slot.
  struct Unlist {
    OriginPool* pool;
    Waiter* waiter;
    bool done = false;
    ~Unlist() {
      if (done) return;
      if (waiter->granted) {
        pool->Return(std::move(waiter->connection), true);
      } else {
        pool->waiters_.remove(waiter);
      }
    }
  } unlist{pool.get(), &waiter};
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  // A grant cancels the timer, but a timer that already fired may still report success: the
  // grant flag, not the error code, says what happened.
  unlist.done = true;
  if (!waiter.granted) {
    pool->waiters_.remove(&waiter);
    co_return DeadlineExceededError(DescribeDeadline(deadline) +
                                    " passed while waiting for a free connection");
  }
  co_return ConnectionLease(pool, std::move(waiter.connection));
}

std::unique_ptr<Connection> OriginPool::TakeIdle(TimePoint now) {
  while (!idle_.empty() && now - idle_.front()->idle_since() >= idle_timeout_) {
    idle_.pop_front();
    --open_;
  }
  if (idle_.empty()) return nullptr;
  std::unique_ptr<Connection> connection = std::move(idle_.back());
  idle_.pop_back();
  return connection;
}

void OriginPool::Return(std::unique_ptr<Connection> connection, bool reusable) {
  if (!reusable || connection == nullptr) connection.reset();
  if (!waiters_.empty()) {
    Waiter* waiter = waiters_.front();
    waiters_.pop_front();
    waiter->granted = true;
    waiter->connection = std::move(connection);
    waiter->timer->cancel();
    return;
  }
  if (connection == nullptr) {
    --open_;
    return;
  }
  connection->set_idle_since(std::chrono::steady_clock::now());
  idle_.push_back(std::move(connection));
}

ConnectionPool::ConnectionPool(std::size_t max_connections_per_origin, Duration idle_timeout)
    : max_connections_per_origin_(max_connections_per_origin), idle_timeout_(idle_timeout) {}

std::shared_ptr<OriginPool> ConnectionPool::ForOrigin(const std::string& origin) {
  auto it = origins_.find(origin);
  if (it == origins_.end()) {
    it = origins_
             .emplace(origin,
                      std::make_shared<OriginPool>(max_connections_per_origin_, idle_timeout_))
             .first;
  }
  return it->second;
}

}  // namespace sluice::http
