// The planner's routing among a model's deployments: the strategy picks among those with room,
// and a deployment whose breaker is open receives nothing until its single probe.
#include <gtest/gtest.h>

#include <map>

#include "scheduler/planner.h"

namespace sluice::scheduler {
namespace {

using namespace std::chrono_literals;

constexpr TimePoint kT0{std::chrono::seconds(1000)};

ratelimit::LimiterOptions Limits(std::int64_t rpm, int max_in_flight = 64) {
  return {.rpm = rpm, .tpm = 1'000'000'000, .max_in_flight = max_in_flight};
}

DeploymentRouting Breaker(int failures, Duration cooldown) {
  return {.breaker = {.consecutive_failures = failures, .min_requests = 1000, .cooldown = cooldown}};
}

// Dispatches every ticket it can at `now` (finishing each at once); the count per deployment.
std::map<int, int> Drain(Planner& planner, TimePoint now) {
  std::map<int, int> sent;
  while (auto dispatch = planner.Next(now).dispatch) {
    ++sent[dispatch->deployment];
    planner.Finished(dispatch->deployment);
  }
  return sent;
}

TEST(PlannerRoutingTest, EveryDeploymentWithRoomIsUsedUpToItsLimit) {
  Planner planner({});
  planner.AddDeployment("m", Limits(100), kT0);
  planner.AddDeployment("m", Limits(200), kT0);
  for (int i = 0; i < 400; ++i) planner.Enqueue("m", {.id = i, .tokens = 1});
  std::map<int, int> sent = Drain(planner, kT0);
  EXPECT_EQ(sent[0], 100);  // each bucket's whole first minute
  EXPECT_EQ(sent[1], 200);
}

TEST(PlannerRoutingTest, ExpectedFinishPrefersTheFasterDeploymentWhileBothHaveRoom) {
  Planner planner({});
  int slow = planner.AddDeployment("m", Limits(1000), kT0);
  int fast = planner.AddDeployment("m", Limits(1000), kT0);
  planner.Answered(slow, router::Signal::kSuccess, 900ms, kT0);
  planner.Answered(fast, router::Signal::kSuccess, 100ms, kT0);
  for (int i = 0; i < 10; ++i) planner.Enqueue("m", {.id = i, .tokens = 1});
  EXPECT_EQ(Drain(planner, kT0)[fast], 10);
}

TEST(PlannerRoutingTest, WeightedSplitsByWeight) {
  Planner planner({});
  planner.SetStrategy("m", router::Strategy::kWeighted);
  planner.AddDeployment("m", Limits(1000), kT0, {.weight = 3});
  planner.AddDeployment("m", Limits(1000), kT0, {.weight = 1});
  for (int i = 0; i < 100; ++i) planner.Enqueue("m", {.id = i, .tokens = 1});
  std::map<int, int> sent = Drain(planner, kT0);
  EXPECT_EQ(sent[0], 75);
  EXPECT_EQ(sent[1], 25);
}

TEST(PlannerRoutingTest, OrderedSpillsToTheNextTierOnlyWhenTheFirstIsFull) {
  Planner planner({});
  planner.SetStrategy("m", router::Strategy::kOrdered);
  int backup = planner.AddDeployment("m", Limits(1000), kT0, {.priority = 1});
  int primary = planner.AddDeployment("m", Limits(10), kT0, {.priority = 0});
  for (int i = 0; i < 30; ++i) planner.Enqueue("m", {.id = i, .tokens = 1});
  // The first ten go to the primary tier; it is then out of requests, the rest spill.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(planner.Next(kT0).dispatch->deployment, primary);
  EXPECT_EQ(planner.Next(kT0).dispatch->deployment, backup);
}

TEST(PlannerRoutingTest, CheapestGoesToTheLowestPrice) {
  Planner planner({});
  planner.SetStrategy("m", router::Strategy::kCheapest);
  planner.AddDeployment("m", Limits(1000), kT0, {.price = 5});
  int cheap = planner.AddDeployment("m", Limits(1000), kT0, {.price = 1});
  for (int i = 0; i < 5; ++i) planner.Enqueue("m", {.id = i, .tokens = 1});
  EXPECT_EQ(Drain(planner, kT0)[cheap], 5);
}

TEST(PlannerRoutingTest, AnOpenDeploymentGetsNothingAndTheOthersTakeItsShare) {
  Planner planner({});
  int dead = planner.AddDeployment("m", Limits(1000), kT0, Breaker(2, 10s));
  int alive = planner.AddDeployment("m", Limits(1000), kT0, Breaker(2, 10s));
  planner.Answered(dead, router::Signal::kFailure, std::nullopt, kT0);
  EXPECT_EQ(planner.Answered(dead, router::Signal::kFailure, std::nullopt, kT0),
            router::BreakerState::kOpen);
  for (int i = 0; i < 50; ++i) planner.Enqueue("m", {.id = i, .tokens = 1});
  std::map<int, int> sent = Drain(planner, kT0 + 9s);
  EXPECT_EQ(sent[dead], 0);
  EXPECT_EQ(sent[alive], 50);
  EXPECT_FALSE(planner.Unavailable("m", kT0));
}

TEST(PlannerRoutingTest, WithEveryDeploymentOpenTicketsWaitForTheProbeAndOnlyOneGoes) {
  Planner planner({});
  int d = planner.AddDeployment("m", Limits(1000), kT0, Breaker(1, 10s));
  planner.Answered(d, router::Signal::kFailure, std::nullopt, kT0);
  EXPECT_TRUE(planner.Unavailable("m", kT0));
  for (int i = 0; i < 5; ++i) planner.Enqueue("m", {.id = i, .tokens = 1});
  Decision waiting = planner.Next(kT0 + 1s);
  EXPECT_FALSE(waiting.dispatch.has_value());
  EXPECT_EQ(waiting.wake_at, kT0 + 10s) << "the planner wakes when the probe is due";
  Decision probe = planner.Next(kT0 + 10s);
  ASSERT_TRUE(probe.dispatch.has_value());
  Decision held = planner.Next(kT0 + 10s);
  EXPECT_FALSE(held.dispatch.has_value()) << "one probe at a time";
  EXPECT_FALSE(held.wake_at.has_value()) << "woken when the probe's answer comes";
  EXPECT_TRUE(planner.Unavailable("m", kT0 + 10s));
  planner.Finished(d);
  EXPECT_EQ(planner.Answered(d, router::Signal::kSuccess, 50ms, kT0 + 11s),
            router::BreakerState::kClosed);
  EXPECT_EQ(Drain(planner, kT0 + 11s)[d], 4);
}

}  // namespace
}  // namespace sluice::scheduler
