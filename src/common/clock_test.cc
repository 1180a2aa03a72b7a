#include "common/clock.h"

#include <gtest/gtest.h>

#include <vector>

namespace sluice {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(FakeClockTest, StandsStillUntilAdvanced) {
  FakeClock clock;
  TimePoint t0 = clock.Now();
  WallTime w0 = clock.WallNow();
  EXPECT_EQ(clock.Now(), t0);
  clock.Advance(seconds(3));
  EXPECT_EQ(clock.Now() - t0, seconds(3));
  EXPECT_EQ(clock.WallNow() - w0, seconds(3));
}

TEST(FakeClockTest, RunsCallbacksInDeadlineOrderWhenReached) {
  FakeClock clock;
  std::vector<int> fired;
  clock.CallAt(clock.Now() + milliseconds(20), [&] { fired.push_back(20); });
  clock.CallAt(clock.Now() + milliseconds(10), [&] { fired.push_back(10); });
  clock.Advance(milliseconds(9));
  EXPECT_TRUE(fired.empty());
  clock.Advance(milliseconds(11));
  EXPECT_EQ(fired, (std::vector<int>{10, 20}));
  EXPECT_EQ(clock.PendingCallbacks(), 0u);
}

TEST(FakeClockTest, PastDeadlineRunsAtOnceAndCancelForgets) {
  FakeClock clock;
  bool ran = false;
  clock.CallAt(clock.Now(), [&] { ran = true; });
  EXPECT_TRUE(ran);
  bool late = false;
  auto id = clock.CallAt(clock.Now() + seconds(1), [&] { late = true; });
  EXPECT_TRUE(clock.Cancel(id));
  EXPECT_FALSE(clock.Cancel(id));
  clock.Advance(seconds(2));
  EXPECT_FALSE(late);
}

TEST(SystemClockTest, MovesForward) {
  auto& clock = SystemClock::Instance();
  TimePoint first = clock.Now();
  EXPECT_LE(first, clock.Now());
  EXPECT_GT(clock.WallNow().time_since_epoch(), seconds(1700000000));
}

}  // namespace
}  // namespace sluice
