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

TEST(ConcurrencyWindowTest, RefusalHalvesOncePerRoundThenGrowsByOnePerRound) {
  TimePoint t0{};
  ConcurrencyWindow window(64, 64);
  window.OnRefused(t0, t0 + 1s);
  EXPECT_EQ(window.limit(), 32);
  window.OnRefused(t0 + 500ms, t0 + 1100ms);  // admitted before the decrease: same round
  EXPECT_EQ(window.limit(), 32);
  for (int i = 0; i < 32; ++i) window.OnSuccess();  // a round of 32 answers: about +1
  EXPECT_EQ(window.limit(), 32);
  window.OnSuccess();
  EXPECT_EQ(window.limit(), 33);
  window.OnRefused(t0 + 2s, t0 + 3s);
  EXPECT_EQ(window.limit(), 16);
}

TEST(ConcurrencyWindowTest, SparseOverloadSignalsLeaveTheWindowAlone) {
  TimePoint t{};
  ConcurrencyWindow window(64, 64);
  // One 503 in every 7 answers, for 1,000 answers: never four among the last 20.
  for (int i = 0; i < 1000; ++i) {
    t += 10ms;
    if (i % 7 == 6) {
      window.OnOverload(t, t);
    } else {
      window.OnSuccess();
    }
  }
  EXPECT_EQ(window.limit(), 64);
}

TEST(ConcurrencyWindowTest, PersistentOverloadHalvesOncePerRound) {
  TimePoint t0{};
  ConcurrencyWindow window(64, 64);
  for (int i = 0; i < 3; ++i) window.OnOverload(t0, t0 + 1s);
  EXPECT_EQ(window.limit(), 64);
  window.OnOverload(t0, t0 + 1s);  // the fourth of the last 20
  EXPECT_EQ(window.limit(), 32);
  window.OnOverload(t0 + 500ms, t0 + 1100ms);  // admitted before the decrease: same round
  EXPECT_EQ(window.limit(), 32);
  window.OnOverload(t0 + 2s, t0 + 3s);  // the burst goes on: the next round halves again
  EXPECT_EQ(window.limit(), 16);
  for (int i = 0; i < 20; ++i) window.OnSuccess();  // the burst has passed out of the record
  window.OnOverload(t0 + 4s, t0 + 5s);
  EXPECT_EQ(window.limit(), 17);
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
