#include "ratelimit/limit_estimate.h"

#include <gtest/gtest.h>

namespace sluice::ratelimit {
namespace {

using namespace std::chrono_literals;

// What a provider with `limit` per minute reports when `remaining` is left.
BudgetHint Remaining(double limit, std::int64_t remaining) {
  double seconds_to_full = (limit - static_cast<double>(remaining)) / (limit / 60.0);
  auto reset =
      std::chrono::ceil<std::chrono::milliseconds>(std::chrono::duration<double>(seconds_to_full));
  return {std::nullopt, remaining, reset};
}

TEST(LimitEstimateTest, AStatedLimitWinsAtOnceAndInferenceStopsThere) {
  LimitEstimate estimate(400000);
  EXPECT_EQ(estimate.source(), LimitSource::kConfigured);
  EXPECT_TRUE(estimate.Observe({200000, 150000, 15s}, 60s));
  EXPECT_EQ(estimate.value(), 200000);
  EXPECT_EQ(estimate.source(), LimitSource::kStated);
  EXPECT_FALSE(estimate.Observe({200000, 100, 59s}, 60s));  // the same statement again
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(estimate.Observe(Remaining(90000, 50000), 60s));
  EXPECT_EQ(estimate.value(), 200000);
  EXPECT_EQ(estimate.configured(), 400000);
}

TEST(LimitEstimateTest, InfersATooHighLimitFromRemainingAndReset) {
  LimitEstimate estimate(600000);
  EXPECT_FALSE(estimate.Observe(Remaining(300000, 299875), 60s));
  EXPECT_FALSE(estimate.Observe(Remaining(300000, 280000), 60s));
  EXPECT_TRUE(estimate.Observe(Remaining(300000, 250000), 60s));
  EXPECT_NEAR(estimate.value(), 300000, 300);
  EXPECT_EQ(estimate.source(), LimitSource::kInferred);
}

TEST(LimitEstimateTest, InfersATooLowLimitAndALimitNeverConfigured) {
  LimitEstimate low(1000);
  LimitEstimate unknown(0);
  EXPECT_EQ(unknown.value(), 0);
  EXPECT_EQ(unknown.source(), LimitSource::kUnknown);
  for (std::int64_t remaining : {4990, 4500, 4000}) {
    (void)low.Observe(Remaining(5000, remaining), 60s);
    (void)unknown.Observe(Remaining(5000, remaining), 60s);
  }
  EXPECT_NEAR(low.value(), 5000, 5);
  EXPECT_NEAR(unknown.value(), 5000, 5);
}

TEST(LimitEstimateTest, IgnoresSamplesThatCannotBeTrusted) {
  LimitEstimate estimate(1000);
  for (int i = 0; i < 5; ++i) {
    EXPECT_FALSE(estimate.Observe(Remaining(5000, 5), 60s));         // a few units: rounding
    EXPECT_FALSE(estimate.Observe(Remaining(5000, 100), 60s));       // reset 58.8 s: near empty
    EXPECT_FALSE(estimate.Observe({std::nullopt, 4000, 90s}, 60s));  // not a one-minute window
    EXPECT_FALSE(estimate.Observe({std::nullopt, 4000, std::nullopt}, 60s));
  }
  EXPECT_EQ(estimate.value(), 1000);
}

TEST(LimitEstimateTest, KeepsAValueWithinTwoPercent) {
  LimitEstimate estimate(5050);
  for (std::int64_t remaining : {4990, 4500, 4000, 3000}) {
    EXPECT_FALSE(estimate.Observe(Remaining(5000, remaining), 60s));
  }
  EXPECT_EQ(estimate.source(), LimitSource::kConfigured);
}

TEST(LimitEstimateTest, ShrinksUnlessStated) {
  LimitEstimate estimate(1000);
  EXPECT_TRUE(estimate.Shrink());
  EXPECT_EQ(estimate.value(), 800);
  LimitEstimate unknown(0);
  EXPECT_FALSE(unknown.Shrink());
  LimitEstimate stated(1000);
  (void)stated.Observe({500, std::nullopt, std::nullopt}, 60s);
  EXPECT_FALSE(stated.Shrink());
  EXPECT_EQ(stated.value(), 500);
}

}  // namespace
}  // namespace sluice::ratelimit
