#include "router/strategy.h"

#include <gtest/gtest.h>

#include <map>

namespace sluice::router {
namespace {

using std::chrono::milliseconds;

Candidate Deployment(int number, std::optional<Duration> latency, int in_flight = 0,
                     int concurrency = 10) {
  Candidate c;
  c.deployment = number;
  c.latency = latency;
  c.in_flight = in_flight;
  c.concurrency = concurrency;
  return c;
}

// The deployment number of the first choice.
int First(Router& router, const std::vector<Candidate>& candidates) {
  return candidates[router.Rank(candidates).front()].deployment;
}

TEST(StrategyTest, NamesRoundTrip) {
  for (Strategy s : {Strategy::kExpectedFinish, Strategy::kWeighted, Strategy::kCheapest,
                     Strategy::kOrdered}) {
    EXPECT_EQ(ParseStrategy(StrategyName(s)), s);
  }
  EXPECT_EQ(ParseStrategy("round-robin"), std::nullopt);
  EXPECT_EQ(StrategyName(Strategy::kExpectedFinish), "expected-finish");
}

TEST(StrategyTest, ExpectedFinishStretchesLatencyByLoad) {
  EXPECT_EQ(ExpectedFinish(Deployment(0, milliseconds(100), 0, 10)), milliseconds(100));
  EXPECT_EQ(ExpectedFinish(Deployment(0, milliseconds(100), 10, 10)), milliseconds(200));
  EXPECT_EQ(ExpectedFinish(Deployment(0, std::nullopt, 5, 10)), Duration::zero());
}

TEST(StrategyTest, ExpectedFinishPrefersTheFasterDeploymentWhileItIsNotLoaded) {
  Router router(Strategy::kExpectedFinish);
  std::vector<Candidate> both = {Deployment(0, milliseconds(300)), Deployment(1, milliseconds(100))};
  EXPECT_EQ(First(router, both), 1);
  // The fast one with its window full answers later than the idle slow one.
  both[1].in_flight = 30;
  EXPECT_EQ(First(router, both), 0);
}

TEST(StrategyTest, ExpectedFinishTriesAnUnmeasuredDeploymentFirst) {
  Router router(Strategy::kExpectedFinish);
  EXPECT_EQ(First(router, {Deployment(0, milliseconds(50)), Deployment(1, std::nullopt)}), 1);
}

TEST(StrategyTest, WeightedSplitsByWeight) {
  Router router(Strategy::kWeighted);
  std::vector<Candidate> candidates = {Deployment(0, std::nullopt), Deployment(1, std::nullopt)};
  candidates[0].weight = 3;
  candidates[1].weight = 1;
  std::map<int, int> picks;
  for (int i = 0; i < 400; ++i) ++picks[First(router, candidates)];
  EXPECT_EQ(picks[0], 300);
  EXPECT_EQ(picks[1], 100);
}

TEST(StrategyTest, WeightedGivesEverythingToTheOneWithRoom) {
  Router router(Strategy::kWeighted);
  Candidate heavy = Deployment(0, std::nullopt);
  heavy.weight = 5;
  Candidate light = Deployment(1, std::nullopt);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(First(router, {light}), 1);
  // Back together: the split resumes without a burst owed to either.
  std::map<int, int> picks;
  for (int i = 0; i < 60; ++i) ++picks[First(router, {heavy, light})];
  EXPECT_EQ(picks[0], 50);
  EXPECT_EQ(picks[1], 10);
}

TEST(StrategyTest, CheapestPrefersTheLowestPriceThenTheFastest) {
  Router router(Strategy::kCheapest);
  Candidate dear = Deployment(0, milliseconds(10));
  dear.price = 10;
  Candidate cheap_slow = Deployment(1, milliseconds(500));
  cheap_slow.price = 1;
  Candidate cheap_fast = Deployment(2, milliseconds(100));
  cheap_fast.price = 1;
  std::vector<Candidate> all = {dear, cheap_slow, cheap_fast};
  std::vector<std::size_t> order = router.Rank(all);
  EXPECT_EQ(all[order[0]].deployment, 2);
  EXPECT_EQ(all[order[1]].deployment, 1);
  EXPECT_EQ(all[order[2]].deployment, 0);
}

TEST(StrategyTest, OrderedUsesALaterTierOnlyWithoutRoomInAnEarlierOne) {
  Router router(Strategy::kOrdered);
  Candidate primary = Deployment(0, milliseconds(900));
  primary.priority = 0;
  Candidate backup = Deployment(1, milliseconds(10));
  backup.priority = 1;
  EXPECT_EQ(First(router, {backup, primary}), 0);
  EXPECT_EQ(First(router, {backup}), 1);  // the primary has no room
}

TEST(StrategyTest, RankOfNothingIsEmpty) {
  Router router;
  EXPECT_TRUE(router.Rank({}).empty());
}

}  // namespace
}  // namespace sluice::router
