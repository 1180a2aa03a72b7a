// ConnectionPool: keep-alive connections and the connection cap, per origin. Acquire hands out
// an idle connection, or the right to open a new one; at the cap it waits (an async wait, woken
// by a release) until a connection is handed back or closed. A lease that is dropped without
// Release closes its connection, so an abandoned exchange never returns a half-read connection.
// Threading: single executor; every call from coroutines running on the client's executor.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>

#include "common/result.h"
#include "http/connection.h"

namespace sluice::http {

class OriginPool;

// The right to use one of an origin's connection slots. Move-only.
class ConnectionLease {
 public:
  ConnectionLease() = default;
  ConnectionLease(std::shared_ptr<OriginPool> pool, std::unique_ptr<Connection> connection);
  ConnectionLease(ConnectionLease&&) = default;
  ConnectionLease& operator=(ConnectionLease&& other);
  ~ConnectionLease();

  // The leased connection; null when the slot is empty and the caller must open one (Adopt).
  Connection* connection() const { return connection_.get(); }
  // True when the connection came from the idle pool (so it may have gone stale).
  bool reused() const { return reused_; }
  // Puts a freshly opened connection into the slot.
  void Adopt(std::unique_ptr<Connection> connection);
  // Closes the connection but keeps the slot (to open a fresh one in its place).
  void Discard();
  // Ends the lease: a reusable connection goes back to the pool (or straight to a waiter),
  // anything else is closed. Dropping the lease is Release(false).
  void Release(bool reusable);

 private:
  std::shared_ptr<OriginPool> pool_;
  std::unique_ptr<Connection> connection_;
  bool reused_ = false;
};

// The connections of one origin. Shared by the pool and its leases (a lease may outlive the
// client that made it, e.g. inside a ResponseStream).
class OriginPool {
 public:
  OriginPool(std::size_t max_connections, Duration idle_timeout);
  OriginPool(const OriginPool&) = delete;
  OriginPool& operator=(const OriginPool&) = delete;

  // An idle connection (the most recently used one that has not been idle for idle_timeout),
  // or an empty slot; waits while all max_connections are in use. kDeadlineExceeded when
  // `deadline` passes first.
  static boost::asio::awaitable<Result<ConnectionLease>> Acquire(std::shared_ptr<OriginPool> pool,
                                                                 Deadline deadline);

  std::size_t open_connections() const { return open_; }
  std::size_t idle_connections() const { return idle_.size(); }

 private:
  friend class ConnectionLease;
  struct Waiter {
    boost::asio::steady_timer* timer;
    bool granted = false;
    std::unique_ptr<Connection> connection;  // when granted: a reusable one, or null (a slot)
  };

  // Takes an unexpired idle connection if there is one; closes expired ones.
  std::unique_ptr<Connection> TakeIdle(TimePoint now);
  // A slot's connection comes back (null or not reusable: it is closed).
  void Return(std::unique_ptr<Connection> connection, bool reusable);

  std::size_t max_connections_;
  Duration idle_timeout_;
  std::size_t open_ = 0;  // slots in use or idle: never above max_connections_
  std::deque<std::unique_ptr<Connection>> idle_;  // oldest first
  std::list<Waiter*> waiters_;                    // first come, first served
};

// Origin name ("https://host:443") -> its OriginPool.
class ConnectionPool {
 public:
  ConnectionPool(std::size_t max_connections_per_origin, Duration idle_timeout);
  std::shared_ptr<OriginPool> ForOrigin(const std::string& origin);

 private:
  std::size_t max_connections_per_origin_;
  Duration idle_timeout_;
  std::unordered_map<std::string, std::shared_ptr<OriginPool>> origins_;
};

}  // namespace sluice::http
