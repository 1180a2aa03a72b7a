#include <gtest/gtest.h>

#include <map>

#include "scheduler/planner.h"

namespace sluice::scheduler {
namespace {

using namespace std::chrono_literals;

Ticket In(int lane, std::int64_t id, std::int64_t tokens = 10) {
  return {.id = id,
          .tokens = tokens,
          .not_before = {},
          .passed_over = 0,
          .lane = lane,
          .overtaken_until = {}};
}

TEST(PlannerLanesTest, InteractiveGoesBeforeEveryBatch) {
  TimePoint t0{};
  Planner planner({});
  planner.AddDeployment("m", {.rpm = 1000, .tpm = 100000, .max_in_flight = 100}, t0);
  int high = planner.AddLane({Priority::kHigh, "a"});
  int interactive = planner.AddLane({Priority::kInteractive, "b"});
  for (int i = 0; i < 5; ++i) planner.Enqueue("m", In(high, i));
  planner.Enqueue("m", In(interactive, 100));
  EXPECT_EQ(planner.Next(t0).dispatch->ticket.id, 100);
  EXPECT_EQ(planner.Next(t0).dispatch->ticket.id, 0);
}

TEST(PlannerLanesTest, HigherPriorityFirstThenLowerOnes) {
  TimePoint t0{};
  Planner planner({});
  planner.AddDeployment("m", {.rpm = 1000, .tpm = 100000, .max_in_flight = 100}, t0);
  int low = planner.AddLane({Priority::kLow, "a"});
  int high = planner.AddLane({Priority::kHigh, "a"});
  planner.Enqueue("m", In(low, 1));
  planner.Enqueue("m", In(high, 2));
  planner.Enqueue("m", In(high, 3));
  EXPECT_EQ(planner.Next(t0).dispatch->ticket.id, 2);
  EXPECT_EQ(planner.Next(t0).dispatch->ticket.id, 3);
  EXPECT_EQ(planner.Next(t0).dispatch->ticket.id, 1);
}

TEST(PlannerLanesTest, TenantsOfEqualPriorityShareFairly) {
  TimePoint t0{};
  Planner planner({});
  planner.AddDeployment("m", {.rpm = 100000, .tpm = 10000000, .max_in_flight = 100000}, t0);
  int big = planner.AddLane({Priority::kNormal, "big"});
  for (int i = 0; i < 1000; ++i) planner.Enqueue("m", In(big, i));
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(planner.Next(t0).dispatch.has_value());
  // A small batch of another tenant arrives while the big one is half done: it is served at
  // once, alternating, not after the big one's remaining 500.
  int small = planner.AddLane({Priority::kNormal, "small"});
  for (int i = 0; i < 10; ++i) planner.Enqueue("m", In(small, 10000 + i));
  std::map<int, int> served;
  for (int i = 0; i < 20; ++i) ++served[planner.Next(t0).dispatch->ticket.lane];
  EXPECT_EQ(served[small], 10);
  EXPECT_EQ(served[big], 10);
}

TEST(PlannerLanesTest, LowPriorityAgesAndIsNotStarved) {
  TimePoint t0{};
  Planner planner({.scan_depth = 64, .max_pass_over = 64, .aging = 30s});
  planner.AddDeployment("m", {.rpm = 60, .tpm = 100000, .max_in_flight = 100}, t0);
  int low = planner.AddLane({Priority::kLow, "a"});
  int high = planner.AddLane({Priority::kHigh, "b"});
  planner.Enqueue("m", In(low, 1));
  for (int i = 0; i < 1000; ++i) planner.Enqueue("m", In(high, 100 + i));
  TimePoint t = t0;
  for (int step = 0; step < 1000; ++step) {
    Decision d = planner.Next(t);
    if (d.dispatch && d.dispatch->ticket.id == 1) {
      EXPECT_GE(t - t0, 60s);   // two aging steps: low -> normal -> high
      EXPECT_LE(t - t0, 120s);  // then it shares with the high lane
      return;
    }
    if (d.dispatch) planner.Finished(d.dispatch->deployment);
    if (!d.dispatch) t = *d.wake_at;
  }
  FAIL() << "the low-priority ticket was never sent";
}

TEST(PlannerLanesTest, RemovingALaneReturnsItsQueuedTickets) {
  TimePoint t0{};
  Planner planner({});
  planner.AddDeployment("m", {.rpm = 1000, .tpm = 100000, .max_in_flight = 100}, t0);
  int a = planner.AddLane({Priority::kNormal, "a"});
  int b = planner.AddLane({Priority::kNormal, "b"});
  planner.Enqueue("m", In(a, 1));
  planner.Enqueue("m", In(b, 2));
  planner.Enqueue("m", {.id = 3,
                        .tokens = 10,
                        .not_before = t0 + 5s,
                        .passed_over = 0,
                        .lane = a,
                        .overtaken_until = {}});
  EXPECT_EQ(planner.RemoveLane(a), (std::vector<std::int64_t>{1, 3}));
  EXPECT_EQ(planner.queued(), 1u);
  EXPECT_TRUE(planner.Remove("m", b, 2));
  EXPECT_FALSE(planner.Remove("m", b, 2));
  EXPECT_EQ(planner.queued(), 0u);
  EXPECT_FALSE(planner.Next(t0).dispatch.has_value());
}

TEST(PlannerLanesTest, ATenantsQuotaHoldsItBackButNotOthers) {
  TimePoint t0{};
  Planner planner({});
  planner.AddDeployment("m", {.rpm = 1000, .tpm = 1000000, .max_in_flight = 1000}, t0);
  planner.SetTenantLimits("capped", {.rpm = 2, .tpm = 0}, t0);
  int capped = planner.AddLane({Priority::kHigh, "capped"});
  int other = planner.AddLane({Priority::kLow, "other"});
  for (int i = 0; i < 5; ++i) planner.Enqueue("m", In(capped, i));
  planner.Enqueue("m", In(other, 100));
  EXPECT_EQ(planner.Next(t0).dispatch->ticket.id, 0);
  EXPECT_EQ(planner.Next(t0).dispatch->ticket.id, 1);
  EXPECT_EQ(planner.Next(t0).dispatch->ticket.id, 100);  // the quota is spent, not the deployment
  Decision waiting = planner.Next(t0);
  EXPECT_FALSE(waiting.dispatch.has_value());
  ASSERT_TRUE(waiting.wake_at.has_value());
  auto seconds = [t0](TimePoint t) { return std::chrono::duration<double>(t - t0).count(); };
  EXPECT_NEAR(seconds(*waiting.wake_at), 30.0, 1e-6);  // 2 a minute: one every 30 s
  EXPECT_NEAR(seconds(planner.WhenTenantAdmits("capped", 1, t0)), 30.0, 1e-6);
  EXPECT_EQ(planner.WhenTenantAdmits("free", 1, t0), t0);
  EXPECT_EQ(planner.Next(*waiting.wake_at).dispatch->ticket.id, 2);
}

}  // namespace
}  // namespace sluice::scheduler

namespace sluice::scheduler {
namespace {

Ticket Costing(int lane, std::int64_t id, std::int64_t cost) {
  Ticket ticket = In(lane, id);
  ticket.cost = cost;
  return ticket;
}

TEST(PlannerSpendLimitTest, HoldsBackWhatDoesNotFitAndLetsOtherLanesGo) {
  TimePoint t0{};
  Planner planner({});
  planner.AddDeployment("m", {.rpm = 1000, .tpm = 100000, .max_in_flight = 100}, t0);
  int capped = planner.AddLane({Priority::kHigh, "a"});
  int other = planner.AddLane({Priority::kNormal, "b"});
  planner.SetSpendLimit(capped, 250);
  for (int i = 0; i < 5; ++i) planner.Enqueue("m", Costing(capped, i, 100));
  planner.Enqueue("m", Costing(other, 100, 100));
  EXPECT_EQ(planner.Next(t0).dispatch->ticket.id, 0);  // 150 left
  EXPECT_EQ(planner.Next(t0).dispatch->ticket.id, 1);  // 50 left: the next one does not fit
  EXPECT_FALSE(planner.HeldBySpendLimit(capped));
  EXPECT_EQ(planner.Next(t0).dispatch->ticket.id, 100);
  EXPECT_TRUE(planner.HeldBySpendLimit(capped));
  Decision idle = planner.Next(t0);
  EXPECT_FALSE(idle.dispatch);
  EXPECT_FALSE(idle.wake_at);  // only a new limit lets it go: no time to wake at
  EXPECT_TRUE(planner.HeldBySpendLimit(capped));
  planner.SetSpendLimit(capped, 100);  // the caller settled: what is left now
  EXPECT_EQ(planner.Next(t0).dispatch->ticket.id, 2);
  planner.SetSpendLimit(capped, std::nullopt);
  EXPECT_EQ(planner.Next(t0).dispatch->ticket.id, 3);
  EXPECT_EQ(planner.Next(t0).dispatch->ticket.id, 4);
}

}  // namespace
}  // namespace sluice::scheduler
