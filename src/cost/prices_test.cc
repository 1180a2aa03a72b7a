#include "cost/prices.h"

#include <gtest/gtest.h>

namespace sluice::cost {
namespace {

TEST(PricesTest, CachedTokensAreBilledAtTheCachedRate) {
  Prices gpt4o{2.50, 1.25, 10.00};
  // 2006 prompt tokens of which 1920 cached, 300 completion (WIRE's example usage).
  EXPECT_NEAR(UsageCost(gpt4o, 2006, 1920, 300), (86 * 2.50 + 1920 * 1.25 + 300 * 10.0) / 1e6,
              1e-12);
}

TEST(PricesTest, CachedCountIsClampedToThePrompt) {
  Prices p{1, 0, 0};
  EXPECT_NEAR(UsageCost(p, 10, 50, 0), 0.0, 1e-12);
  EXPECT_NEAR(UsageCost(p, 10, -5, 0), 10 / 1e6, 1e-12);
}

TEST(PricesTest, MaximumChargesTheWholeOutputCap) {
  Prices p{0.15, 0.075, 0.60};
  EXPECT_NEAR(MaximumCost(p, 1000, 500), (1000 * 0.15 + 500 * 0.60) / 1e6, 1e-12);
}

}  // namespace
}  // namespace sluice::cost
