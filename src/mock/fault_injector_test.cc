#include "mock/fault_injector.h"

#include <gtest/gtest.h>

#include <map>

namespace sluice::mock {
namespace {

TEST(FaultInjectorTest, ZeroRatesNeverFault) {
  FaultInjector f({}, 42);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(f.Draw(), FaultKind::kNone);
}

TEST(FaultInjectorTest, RateOneAlwaysFaults) {
  FaultRates only_hang;
  only_hang.hang = 1.0;
  FaultInjector f(only_hang, 42);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(f.Draw(), FaultKind::kHang);
}

TEST(FaultInjectorTest, RatesAreRoughlyProportional) {
  FaultRates rates{0.1, 0.2, 0.05, 0.05, 0.1};
  FaultInjector f(rates, 7);
  std::map<FaultKind, int> counts;
  for (int i = 0; i < 10000; ++i) ++counts[f.Draw()];
  EXPECT_NEAR(counts[FaultKind::kHttp500], 1000, 150);
  EXPECT_NEAR(counts[FaultKind::kHttp503], 2000, 200);
  EXPECT_NEAR(counts[FaultKind::kReset], 500, 100);
  EXPECT_NEAR(counts[FaultKind::kHang], 500, 100);
  EXPECT_NEAR(counts[FaultKind::kMalformed], 1000, 150);
  EXPECT_NEAR(counts[FaultKind::kNone], 5000, 300);
}

TEST(FaultInjectorTest, SameSeedReplaysTheSameFaults) {
  FaultRates rates{0.3, 0, 0, 0, 0};
  FaultInjector a(rates, 99);
  FaultInjector b(rates, 99);
  FaultInjector c(rates, 100);
  int differences = 0;
  for (int i = 0; i < 1000; ++i) {
    FaultKind x = a.Draw();
    ASSERT_EQ(x, b.Draw());
    differences += x != c.Draw();
  }
  EXPECT_GT(differences, 100);
}

TEST(FaultInjectorTest, NamesMatchStatsKeys) {
  EXPECT_EQ(FaultName(FaultKind::kHttp500), "http_500");
  EXPECT_EQ(FaultName(FaultKind::kMalformed), "malformed");
}

}  // namespace
}  // namespace sluice::mock
