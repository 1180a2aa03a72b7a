#include "scheduler/planner.h"

#include <gtest/gtest.h>

namespace sluice::scheduler {
namespace {

using namespace std::chrono_literals;

TEST(PlannerTest, DispatchesInOrderWhileCapacityLasts) {
  TimePoint t0{};
  Planner planner({});
  planner.AddDeployment("m", {.rpm = 2, .tpm = 1000}, t0);
  for (int i = 0; i < 3; ++i) planner.Enqueue("m", {.id = i, .tokens = 10});
  EXPECT_EQ(planner.Next(t0).dispatch->ticket.id, 0);
  EXPECT_EQ(planner.Next(t0).dispatch->ticket.id, 1);
  Decision blocked = planner.Next(t0);
  EXPECT_FALSE(blocked.dispatch.has_value());
  ASSERT_TRUE(blocked.wake_at.has_value());
  EXPECT_NEAR(std::chrono::duration<double>(*blocked.wake_at - t0).count(), 30.0, 1e-3);
  EXPECT_EQ(planner.Next(*blocked.wake_at).dispatch->ticket.id, 2);
  EXPECT_EQ(planner.queued(), 0u);
}

TEST(PlannerTest, TakeQueuedEmptiesOneModelsQueueAndLeavesTheOthers) {
  TimePoint t0{};
  Planner planner({});
  planner.AddDeployment("m", {.rpm = 100, .tpm = 1000}, t0);
  planner.AddDeployment("other", {.rpm = 100, .tpm = 1000}, t0);
  planner.Enqueue("m", {.id = 0, .tokens = 10});
  planner.Enqueue("m", {.id = 1, .tokens = 10, .not_before = t0 + 5s});
  planner.Enqueue("other", {.id = 2, .tokens = 10});
  std::vector<Ticket> taken = planner.TakeQueued("m");
  ASSERT_EQ(taken.size(), 2u);
  EXPECT_EQ(taken[0].id, 0);
  EXPECT_EQ(taken[1].id, 1);
  EXPECT_EQ(planner.queued(), 1u);
  EXPECT_EQ(planner.Next(t0 + 10s).dispatch->ticket.id, 2);
  EXPECT_FALSE(planner.Next(t0 + 10s).dispatch.has_value());
  EXPECT_TRUE(planner.TakeQueued("unknown").empty());
}

TEST(PlannerTest, SmallTicketOvertakesOneThatDoesNotFitYet) {
  TimePoint t0{};
  Planner planner({});
  planner.AddDeployment("m", {.rpm = 100, .tpm = 1000}, t0);
  planner.Enqueue("m", {.id = 0, .tokens = 900});
  planner.Enqueue("m", {.id = 1, .tokens = 900});
  planner.Enqueue("m", {.id = 2, .tokens = 50});
  EXPECT_EQ(planner.Next(t0).dispatch->ticket.id, 0);
  EXPECT_EQ(planner.Next(t0).dispatch->ticket.id, 2);  // 1 does not fit, 2 does
  EXPECT_FALSE(planner.Next(t0).dispatch.has_value());
}

TEST(PlannerTest, OldestTicketIsNotStarvedForever) {
  TimePoint t0{};
  Planner planner({.scan_depth = 64, .max_pass_over = 3});
  planner.AddDeployment("m", {.rpm = 1000, .tpm = 1000}, t0);
  planner.Enqueue("m", {.id = 0, .tokens = 1000});
  ASSERT_EQ(planner.Next(t0).dispatch->ticket.id, 0);  // the bucket is now empty
  planner.Enqueue("m", {.id = 1, .tokens = 1000});
  for (int i = 2; i < 50; ++i) planner.Enqueue("m", {.id = i, .tokens = 10});
  TimePoint t = t0;
  int overtaken = 0;
  while (true) {
    Decision d = planner.Next(t);
    if (d.dispatch) {
      if (d.dispatch->ticket.id == 1) break;
      ++overtaken;
      continue;
    }
    ASSERT_TRUE(d.wake_at.has_value());
    t = *d.wake_at;
  }
  EXPECT_EQ(overtaken, 3);
}

TEST(PlannerTest, InFlightCapWaitsForFinishedNotForTime) {
  TimePoint t0{};
  Planner planner({});
  int d = planner.AddDeployment("m", {.max_in_flight = 1}, t0);
  planner.Enqueue("m", {.id = 0, .tokens = 1});
  planner.Enqueue("m", {.id = 1, .tokens = 1});
  ASSERT_TRUE(planner.Next(t0).dispatch.has_value());
  Decision waiting = planner.Next(t0);
  EXPECT_FALSE(waiting.dispatch.has_value());
  EXPECT_FALSE(waiting.wake_at.has_value());
  planner.Finished(d);
  EXPECT_EQ(planner.Next(t0).dispatch->ticket.id, 1);
}

TEST(PlannerTest, RetriesWaitForTheirTimeThenGoFirst) {
  TimePoint t0{};
  Planner planner({});
  planner.AddDeployment("m", {}, t0);
  planner.Enqueue("m", {.id = 7, .tokens = 1, .not_before = t0 + 5s});
  planner.Enqueue("m", {.id = 8, .tokens = 1});
  Decision first = planner.Next(t0);
  EXPECT_EQ(first.dispatch->ticket.id, 8);
  Decision wait = planner.Next(t0);
  EXPECT_FALSE(wait.dispatch.has_value());
  EXPECT_EQ(wait.wake_at, t0 + 5s);
  planner.Enqueue("m", {.id = 9, .tokens = 1});
  EXPECT_EQ(planner.Next(t0 + 5s).dispatch->ticket.id, 7);
}

TEST(PlannerTest, SpreadsAcrossDeploymentsOfAModel) {
  TimePoint t0{};
  Planner planner({});
  int a = planner.AddDeployment("m", {.rpm = 1, .tpm = 100}, t0);
  int b = planner.AddDeployment("m", {.rpm = 1, .tpm = 100}, t0);
  planner.Enqueue("m", {.id = 0, .tokens = 1});
  planner.Enqueue("m", {.id = 1, .tokens = 1});
  planner.Enqueue("m", {.id = 2, .tokens = 1});
  int first = planner.Next(t0).dispatch->deployment;
  int second = planner.Next(t0).dispatch->deployment;
  EXPECT_NE(first, second);
  EXPECT_TRUE((first == a && second == b) || (first == b && second == a));
  EXPECT_FALSE(planner.Next(t0).dispatch.has_value());
}

TEST(PlannerTest, SmallTicketsOvertakeALargeOneOnlyForHalfItsOwnWait) {
  TimePoint t0{};
  Planner planner({});
  planner.AddDeployment("m", {.rpm = 100000, .tpm = 600, .max_in_flight = 1000}, t0);
  planner.Enqueue("m", {.id = 0, .tokens = 600});
  ASSERT_EQ(planner.Next(t0).dispatch->ticket.id, 0);  // the tokens bucket is now empty
  planner.Enqueue("m", {.id = 1, .tokens = 300});      // fits by itself at t0 + 30 s
  for (int i = 2; i < 200; ++i) planner.Enqueue("m", {.id = i, .tokens = 10});
  TimePoint t = t0;
  int overtook = 0;
  while (t - t0 < std::chrono::minutes(5)) {
    Decision d = planner.Next(t);
    if (d.dispatch) {
      planner.Finished(d.dispatch->deployment);
      if (d.dispatch->ticket.id == 1) break;
      ++overtook;
      continue;
    }
    t = *d.wake_at;
  }
  EXPECT_GT(overtook, 10);                      // small ones went while it could not
  EXPECT_LE(t - t0, std::chrono::seconds(46));  // then it went: at most 1.5 x its own wait
  EXPECT_GE(t - t0, std::chrono::seconds(30));
}

}  // namespace
}  // namespace sluice::scheduler
