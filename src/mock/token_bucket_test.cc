#include "mock/token_bucket.h"

#include <gtest/gtest.h>

namespace sluice::mock {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kStart = TimePoint(std::chrono::hours(100));

TEST(TokenBucketTest, StartsFullWithOneMinutesCapacity) {
  TokenBucket b(600, minutes(1), kStart);
  EXPECT_EQ(b.Remaining(kStart), 600);
  EXPECT_EQ(b.TimeUntilFull(kStart), Duration::zero());
  EXPECT_TRUE(b.TryTake(600, kStart));
  EXPECT_FALSE(b.TryTake(1, kStart));
}

TEST(TokenBucketTest, RefillsContinuouslyAtLimitPerMinute) {
  TokenBucket b(600, minutes(1), kStart);  // 10 per second
  ASSERT_TRUE(b.TryTake(600, kStart));
  EXPECT_EQ(b.Remaining(kStart + milliseconds(100)), 1);
  EXPECT_EQ(b.Remaining(kStart + milliseconds(550)), 5);
  EXPECT_EQ(b.Remaining(kStart + seconds(30)), 300);
  EXPECT_EQ(b.Remaining(kStart + minutes(5)), 600);  // never above capacity
}

TEST(TokenBucketTest, RefusedTakeChargesNothing) {
  TokenBucket b(100, minutes(1), kStart);
  ASSERT_TRUE(b.TryTake(90, kStart));
  EXPECT_FALSE(b.TryTake(20, kStart));
  EXPECT_EQ(b.Remaining(kStart), 10);
}

TEST(TokenBucketTest, TimeUntilAvailableIsTheDeficitOverTheRate) {
  TokenBucket b(6000, minutes(1), kStart);  // 100 per second
  ASSERT_TRUE(b.TryTake(6000, kStart));
  EXPECT_EQ(b.TimeUntilAvailable(50, kStart), milliseconds(500));
  EXPECT_EQ(b.TimeUntilAvailable(50, kStart + milliseconds(200)), milliseconds(300));
  EXPECT_EQ(b.TimeUntilAvailable(50, kStart + seconds(1)), Duration::zero());
  EXPECT_EQ(b.TimeUntilAvailable(6001, kStart), Duration::max());
}

TEST(TokenBucketTest, TimeUntilFullMatchesObservedOpenAiResets) {
  // requests 5000 with 4999 remaining -> 12ms (60 s x 1/5000).
  TokenBucket requests(5000, minutes(1), kStart);
  ASSERT_TRUE(requests.TryTake(1, kStart));
  EXPECT_EQ(requests.Remaining(kStart), 4999);
  EXPECT_EQ(requests.TimeUntilFull(kStart), milliseconds(12));
  // tokens 160000 with 159976 remaining -> 9ms (60 s x 24/160000).
  TokenBucket tokens(160000, minutes(1), kStart);
  ASSERT_TRUE(tokens.TryTake(24, kStart));
  EXPECT_EQ(tokens.TimeUntilFull(kStart), milliseconds(9));
}

TEST(TokenBucketTest, TimeGoingBackwardsIsIgnored) {
  TokenBucket b(60, minutes(1), kStart);
  ASSERT_TRUE(b.TryTake(60, kStart + seconds(10)));
  EXPECT_EQ(b.Remaining(kStart), 0);
  EXPECT_EQ(b.Remaining(kStart + seconds(11)), 1);
}

}  // namespace
}  // namespace sluice::mock
