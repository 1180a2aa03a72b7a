#include "ratelimit/concurrency_window.h"

#include <gtest/gtest.h>

namespace sluice::ratelimit {
namespace {

using namespace std::chrono_literals;

TEST(ConcurrencyWindowTest, SlowStartDoublesPerRoundUpToTheCeiling) {
  ConcurrencyWindow window(20, 2);
  EXPECT_EQ(window.limit(), 2);
  for (int i = 0; i < 2; ++i) window.OnSuccess();  // one round trip of 2 answers
  EXPECT_EQ(window.limit(), 4);
  for (int i = 0; i < 4; ++i) window.OnSuccess();
  EXPECT_EQ(window.limit(), 8);
  for (int i = 0; i < 100; ++i) window.OnSuccess();
  EXPECT_EQ(window.limit(), 20);
}

TEST(ConcurrencyWindowTest, OverloadHalvesOncePerRoundThenGrowsByOnePerRound) {
  TimePoint t0{};
  ConcurrencyWindow window(64, 64);
  window.OnOverload(t0, t0 + 1s);
  EXPECT_EQ(window.limit(), 32);
  window.OnOverload(t0 + 500ms, t0 + 1100ms);  // admitted before the decrease: same round
  EXPECT_EQ(window.limit(), 32);
  for (int i = 0; i < 32; ++i) window.OnSuccess();  // a round of 32 answers: about +1
  EXPECT_EQ(window.limit(), 32);
  window.OnSuccess();
  EXPECT_EQ(window.limit(), 33);
  window.OnOverload(t0 + 2s, t0 + 3s);
  EXPECT_EQ(window.limit(), 16);
}

TEST(ConcurrencyWindowTest, NeverBelowOneNorAboveTheCeiling) {
  TimePoint t = TimePoint{};
  ConcurrencyWindow window(3, 10);
  EXPECT_EQ(window.limit(), 3);
  for (int i = 0; i < 10; ++i) {
    t += 1s;
    window.OnOverload(t, t);
  }
  EXPECT_EQ(window.limit(), 1);
  ConcurrencyWindow zero(0, 0);
  EXPECT_EQ(zero.limit(), 1);
}

}  // namespace
}  // namespace sluice::ratelimit
