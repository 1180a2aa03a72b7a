#include "ratelimit/token_bucket.h"

#include <gtest/gtest.h>

namespace sluice::ratelimit {
namespace {

using namespace std::chrono_literals;

TEST(TokenBucketTest, StartsFullAndRefillsContinuously) {
  TimePoint t0{};
  TokenBucket bucket(600, 60s, t0);  // 10 per second
  EXPECT_TRUE(bucket.TryTake(600, t0));
  EXPECT_FALSE(bucket.TryTake(1, t0));
  EXPECT_NEAR(bucket.Available(t0 + 500ms), 5, 1e-9);
  EXPECT_TRUE(bucket.TryTake(5, t0 + 500ms));
  EXPECT_NEAR(bucket.Available(t0 + 1h), 600, 1e-9);  // never above capacity
}

TEST(TokenBucketTest, WhenAvailableIsExactlyWhenItFits) {
  TimePoint t0{};
  TokenBucket bucket(600, 60s, t0);
  ASSERT_TRUE(bucket.TryTake(600, t0));
  TimePoint when = bucket.WhenAvailable(30, t0);
  EXPECT_NEAR(std::chrono::duration<double>(when - t0).count(), 3.0, 1e-6);
  EXPECT_FALSE(bucket.TryTake(30, when - 1ms));
  EXPECT_TRUE(bucket.TryTake(30, when));
}

TEST(TokenBucketTest, OversizeCostWaitsForAFullBucket) {
  TimePoint t0{};
  TokenBucket bucket(100, 60s, t0);
  ASSERT_TRUE(bucket.TryTake(50, t0));
  EXPECT_EQ(bucket.WhenAvailable(500, t0) > t0, true);
  TimePoint full = bucket.WhenAvailable(500, t0);
  EXPECT_TRUE(bucket.TryTake(500, full));
  EXPECT_NEAR(bucket.Available(full), -400, 1e-6);  // a debt the refill pays back
}

TEST(TokenBucketTest, AdjustSettlesAndSetAvailableCorrects) {
  TimePoint t0{};
  TokenBucket bucket(1000, 60s, t0);
  ASSERT_TRUE(bucket.TryTake(400, t0));
  bucket.Adjust(300, t0);  // the real usage was 300 less than reserved
  EXPECT_NEAR(bucket.Available(t0), 900, 1e-9);
  bucket.Adjust(-1200, t0);
  EXPECT_NEAR(bucket.Available(t0), -300, 1e-9);
  bucket.SetAvailable(120, t0);
  EXPECT_NEAR(bucket.Available(t0), 120, 1e-9);
  bucket.SetAvailable(5000, t0);
  EXPECT_NEAR(bucket.Available(t0), 1000, 1e-9);
}

TEST(TokenBucketTest, SetCapacityChangesTheRate) {
  TimePoint t0{};
  TokenBucket bucket(60, 60s, t0);
  ASSERT_TRUE(bucket.TryTake(60, t0));
  bucket.SetCapacity(120, t0);
  EXPECT_NEAR(bucket.Available(t0 + 1s), 2, 1e-9);
}

}  // namespace
}  // namespace sluice::ratelimit
