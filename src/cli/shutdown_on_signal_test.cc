#include "cli/shutdown_on_signal.h"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <csignal>

namespace sluice::cli {
namespace {

constexpr Duration kLongLimit = std::chrono::hours(1);

TEST(ShutdownOnSignalTest, FirstSignalDrainsThenStops) {
  boost::asio::io_context io(1);
  int drains = 0;
  ShutdownOnSignal shutdown(
      io,
      [&](std::function<void()> done) {
        ++drains;
        boost::asio::post(io, std::move(done));
      },
      kLongLimit);
  boost::asio::post(io, [] { std::raise(SIGTERM); });
  io.run();
  EXPECT_EQ(drains, 1);
  EXPECT_FALSE(shutdown.forced());
}

TEST(ShutdownOnSignalTest, SecondSignalStopsWithoutWaitingForTheDrain) {
  boost::asio::io_context io(1);
  int drains = 0;
  ShutdownOnSignal shutdown(
      io,
      [&](std::function<void()>) {
        ++drains;
        boost::asio::post(io, [] { std::raise(SIGINT); });
      },
      kLongLimit);
  boost::asio::post(io, [] { std::raise(SIGINT); });
  io.run();
  EXPECT_EQ(drains, 1);
  EXPECT_TRUE(shutdown.forced());
}

TEST(ShutdownOnSignalTest, DrainOutlastingItsLimitIsCutShort) {
  boost::asio::io_context io(1);
  ShutdownOnSignal shutdown(
      io, [](std::function<void()>) {}, Duration::zero());
  boost::asio::post(io, [] { std::raise(SIGTERM); });
  io.run();
  EXPECT_TRUE(shutdown.forced());
}

TEST(ShutdownOnSignalTest, WithoutASignalNothingHappens) {
  boost::asio::io_context io(1);
  bool drained = false;
  ShutdownOnSignal shutdown(
      io, [&](std::function<void()>) { drained = true; }, kLongLimit);
  io.poll();
  EXPECT_FALSE(drained);
  EXPECT_FALSE(shutdown.forced());
}

}  // namespace
}  // namespace sluice::cli
