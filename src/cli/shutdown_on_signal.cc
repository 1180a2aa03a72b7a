#include "cli/shutdown_on_signal.h"

#include <spdlog/spdlog.h>

#include <csignal>

namespace sluice::cli {
namespace {

const char* SignalName(int signal_number) {
  switch (signal_number) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
  }
  return "a signal";
}

}  // namespace

ShutdownOnSignal::ShutdownOnSignal(boost::asio::io_context& io, DrainFunction drain,
                                   Duration drain_limit)
    : io_(io),
      drain_(std::move(drain)),
      drain_limit_(drain_limit),
      signals_(io, SIGINT, SIGTERM),
      limit_timer_(io) {
  Wait();
}

void ShutdownOnSignal::Wait() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signal_number) {
    if (!ec) OnSignal(signal_number);
  });
}

void ShutdownOnSignal::OnSignal(int signal_number) {
  const char* name = SignalName(signal_number);
  if (draining_) {
    spdlog::warn("received {} again; stopping without waiting for the drain", name);
    forced_ = true;
    io_.stop();
    return;
  }
  draining_ = true;
  spdlog::info("received {}; draining (send it again to stop at once)", name);
  Wait();
  limit_timer_.expires_after(drain_limit_);
  limit_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    spdlog::warn("drain did not finish within {}s; stopping",
                 std::chrono::duration_cast<std::chrono::seconds>(drain_limit_).count());
    forced_ = true;
    io_.stop();
  });
  drain_([this] {
    spdlog::info("drained; exiting");
    io_.stop();
  });
}

}  // namespace sluice::cli
