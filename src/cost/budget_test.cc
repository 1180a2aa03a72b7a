#include "cost/budget.h"

#include <gtest/gtest.h>

namespace sluice::cost {
namespace {

using std::chrono::hours;
using std::chrono::sys_days;
using namespace std::chrono_literals;

WallTime At(std::chrono::year_month_day date, std::chrono::hours hour = hours(12)) {
  return sys_days(date) + hour;
}

TEST(ReservationOfTest, EveryTokenAtTheHigherRateRoundedUp) {
  Prices gpt4o_mini{0.15, 0.075, 0.60};
  EXPECT_EQ(ReservationOf(gpt4o_mini, 1000), 600'000);  // 1000 × $0.60 / 1M
  EXPECT_EQ(ReservationOf(Prices{0.1, 0, 0.1}, 1), 100);
  EXPECT_EQ(ReservationOf(std::nullopt, 1000), 0);
}

TEST(FormatUsdTest, CentsOrMillionthsAsNeeded) {
  EXPECT_EQ(FormatUsd(5'000'000'000), "$5.00");
  EXPECT_EQ(FormatUsd(250'000'000), "$0.25");
  EXPECT_EQ(FormatUsd(182'000), "$0.000182");
  EXPECT_EQ(FormatUsd(0), "$0.00");
}

TEST(ParseUsdTest, AcceptsDollarAmounts) {
  EXPECT_EQ(*ParseUsd("5"), 5'000'000'000);
  EXPECT_EQ(*ParseUsd("0.25"), 250'000'000);
  EXPECT_EQ(*ParseUsd("0"), 0);
}

TEST(ParseUsdTest, RefusesWhatIsNotAnAmount) {
  for (const char* bad : {"", "five", "5$", "1,5", "inf", "nan", "0x10", " 5"}) {
    Result<std::int64_t> parsed = ParseUsd(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_NE(parsed.status().message().find("is not a number"), std::string::npos)
        << parsed.status().message();
  }
  EXPECT_EQ(ParseUsd("-1").status().message(), "'-1' is negative: a cap is 0 or more");
}

TEST(BudgetTest, ReservationsCountUntilReleased) {
  Budget budget(1000);
  budget.Spend(300);
  budget.Reserve(500);
  EXPECT_EQ(budget.Left(), 200);
  budget.Release(500);
  budget.Spend(450);  // the answer cost less than reserved
  EXPECT_EQ(budget.Left(), 250);
  budget.Spend(1000);
  EXPECT_EQ(budget.Left(), 0);  // never negative
  budget.SetCap(std::nullopt);
  EXPECT_EQ(budget.Left(), std::nullopt);
}

TEST(KeyBudgetTest, TheDayStartsAtZeroAtUtcMidnight) {
  using namespace std::chrono;
  KeyBudget key({.per_day = 1'000'000'000, .per_month = std::nullopt});
  WallTime noon = At(2026y / December / 7d);
  key.Spend(1'000'000'000, noon);
  EXPECT_EQ(key.Left(noon), 0);
  EXPECT_EQ(*key.Exhausted(noon),
            "its daily budget of $1.00 is spent ($1.00 on 2026-12-07 UTC); it resets at "
            "2026-12-08 00:00 UTC");
  EXPECT_EQ(key.NextReset(noon), sys_days(2026y / December / 8d));
  WallTime next_day = sys_days(2026y / December / 8d) + 1s;
  EXPECT_EQ(key.Left(next_day), 1'000'000'000);
  EXPECT_FALSE(key.Exhausted(next_day));
}

TEST(KeyBudgetTest, TheMonthCapHoldsAcrossDays) {
  using namespace std::chrono;
  KeyBudget key({.per_day = 5'000'000'000, .per_month = 8'000'000'000});
  key.Spend(4'000'000'000, At(2026y / December / 30d));
  key.Spend(4'000'000'000, At(2026y / December / 31d));
  WallTime last_day = At(2026y / December / 31d, hours(23));
  EXPECT_EQ(key.Left(last_day), 0);
  EXPECT_EQ(*key.Exhausted(last_day),
            "its monthly budget of $8.00 is spent ($8.00 this month); it resets at "
            "2027-01-01 00:00 UTC");
  EXPECT_EQ(key.NextReset(last_day), sys_days(2027y / January / 1d));
  EXPECT_EQ(key.Left(sys_days(2027y / January / 1d)), 5'000'000'000);
}

TEST(KeyBudgetTest, ReservationsCountAgainstEveryPeriod) {
  using namespace std::chrono;
  KeyBudget key({.per_day = 100, .per_month = 150});
  WallTime now = At(2026y / December / 7d);
  key.Spend(60, now);
  key.Reserve(30);
  EXPECT_EQ(key.Left(now), 10);
  key.Release(30);
  EXPECT_EQ(key.Left(now), 40);
  EXPECT_EQ(KeyBudget().Left(now), std::nullopt);
}

}  // namespace
}  // namespace sluice::cost
