// ShutdownOnSignal: graceful shutdown of a one-thread io_context on SIGINT / SIGTERM, through
// asio::signal_set (no raw signal handlers). First signal: drain, then stop the io_context. A
// second signal, or a drain that outlasts its limit, stops it at once.
// Threading: construct, and destroy, on the thread that runs the io_context (or before it runs).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>

#include "common/clock.h"

namespace sluice::cli {

// Starts the drain; must call `done` (on the io_context) once everything is closed.
using DrainFunction = std::function<void(std::function<void()> done)>;

class ShutdownOnSignal {
 public:
  // Starts waiting for SIGINT and SIGTERM on `io` right away, so signals that arrive from now on
  // are handled. `drain_limit` bounds how long the drain may take.
  ShutdownOnSignal(boost::asio::io_context& io, DrainFunction drain, Duration drain_limit);

  // True if the io_context was stopped without a complete drain (second signal or time limit).
  bool forced() const { return forced_; }

 private:
  void OnSignal(int signal_number);
  void Wait();

  boost::asio::io_context& io_;
  DrainFunction drain_;
  Duration drain_limit_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer limit_timer_;
  bool draining_ = false;
  bool forced_ = false;
};

}  // namespace sluice::cli
