#include "ratelimit/deployment_limiter.h"

#include <gtest/gtest.h>

namespace sluice::ratelimit {
namespace {

using namespace std::chrono_literals;

TEST(DeploymentLimiterTest, AdmitsWithinRpmThenWaitsForRefill) {
  TimePoint t0{};
  DeploymentLimiter limiter({.rpm = 60, .tpm = 0, .max_in_flight = 1000}, t0);
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(limiter.TryAdmit(10, t0)) << i;
  EXPECT_FALSE(limiter.TryAdmit(10, t0));
  TimePoint when = limiter.WhenAdmissible(10, t0);
  EXPECT_NEAR(std::chrono::duration<double>(when - t0).count(), 1.0, 1e-6);
  EXPECT_TRUE(limiter.TryAdmit(10, when));
}

TEST(DeploymentLimiterTest, TokensBindForLargeRequestsButSmallOnesStillFit) {
  TimePoint t0{};
  DeploymentLimiter limiter({.rpm = 0, .tpm = 1000, .max_in_flight = 100}, t0);
  ASSERT_TRUE(limiter.TryAdmit(900, t0));
  EXPECT_FALSE(limiter.TryAdmit(500, t0));
  EXPECT_TRUE(limiter.TryAdmit(100, t0));  // no head-of-line blocking inside the limiter
  EXPECT_GT(limiter.WhenAdmissible(500, t0), t0);
}

TEST(DeploymentLimiterTest, InFlightCapHoldsUntilRelease) {
  TimePoint t0{};
  DeploymentLimiter limiter({.max_in_flight = 2}, t0);
  ASSERT_TRUE(limiter.TryAdmit(1, t0));
  ASSERT_TRUE(limiter.TryAdmit(1, t0));
  EXPECT_FALSE(limiter.HasFreeSlot());
  EXPECT_FALSE(limiter.TryAdmit(1, t0));
  limiter.Release();
  EXPECT_TRUE(limiter.TryAdmit(1, t0));
  EXPECT_EQ(limiter.in_flight(), 2);
}

TEST(DeploymentLimiterTest, PauseAfter429BlocksUntilItEnds) {
  TimePoint t0{};
  DeploymentLimiter limiter({.rpm = 600, .tpm = 100000}, t0);
  limiter.PauseUntil(t0 + 2s, t0);
  EXPECT_FALSE(limiter.TryAdmit(1, t0 + 1s));
  EXPECT_GE(limiter.WhenAdmissible(1, t0), t0 + 2s);
  EXPECT_TRUE(limiter.TryAdmit(1, t0 + 2s));
}

TEST(DeploymentLimiterTest, ProviderHeadersLowerButNeverRaiseOurLevel) {
  TimePoint t0{};
  DeploymentLimiter limiter({.rpm = 100, .tpm = 10000}, t0);
  limiter.ObserveRemaining(std::nullopt, 50, t0);
  EXPECT_FALSE(limiter.TryAdmit(60, t0));
  EXPECT_TRUE(limiter.TryAdmit(50, t0));
  limiter.ObserveRemaining(100, 9999, t0);  // more than we think: ignored
  EXPECT_FALSE(limiter.TryAdmit(10, t0));
}

TEST(DeploymentLimiterTest, LearnsLimitsTheProviderStates) {
  TimePoint t0{};
  DeploymentLimiter limiter({.rpm = 0, .tpm = 0}, t0);
  limiter.ObserveLimits(120, 6000, t0);
  EXPECT_EQ(limiter.options().rpm, 120);
  EXPECT_EQ(limiter.options().tpm, 6000);
  ASSERT_TRUE(limiter.TryAdmit(6000, t0));
  EXPECT_FALSE(limiter.TryAdmit(1, t0));
}

TEST(DeploymentLimiterTest, SettleReturnsOverReservedTokens) {
  TimePoint t0{};
  DeploymentLimiter limiter({.tpm = 1000}, t0);
  ASSERT_TRUE(limiter.TryAdmit(1000, t0));
  limiter.Release();
  limiter.Settle(400, t0);
  EXPECT_TRUE(limiter.TryAdmit(400, t0));
}

}  // namespace
}  // namespace sluice::ratelimit
