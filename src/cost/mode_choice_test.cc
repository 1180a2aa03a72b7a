#include "cost/mode_choice.h"

#include <gtest/gtest.h>

namespace sluice::cost {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(RealtimeDurationTest, FitsInTheFirstMinutesBudget) {
  EXPECT_EQ(RealtimeDuration({100, 10'000, 5'000}, {500, 100'000, 0}), Duration::zero());
}

TEST(RealtimeDurationTest, TheSlowestBudgetDecides) {
  // 1,000 requests at 100 rpm: 900 after the first minute, at 100 a minute: 9 minutes. Tokens
  // would take 1 minute (200k at 100k tpm).
  Duration d = RealtimeDuration({1000, 200'000, 0}, {100, 100'000, 0});
  EXPECT_EQ(std::chrono::duration_cast<seconds>(d), minutes(9));
}

TEST(RealtimeDurationTest, AnthropicInputBudgetCountsPromptsOnly) {
  Duration d = RealtimeDuration({10, 1'000'000, 300'000}, {0, 0, 100'000});
  EXPECT_EQ(std::chrono::duration_cast<seconds>(d), minutes(2));
}

TEST(RealtimeDurationTest, UnmeteredBudgetsDoNotBound) {
  EXPECT_EQ(RealtimeDuration({1'000'000, 1'000'000'000, 0}, {}), Duration::zero());
}

ModeChoiceInput BigBatch() {
  ModeChoiceInput input;
  // 100M tokens at 1M tpm: 99 minutes.
  input.realtime_duration = RealtimeDuration({10'000, 100'000'000, 0}, {500, 1'000'000, 0});
  input.time_left = hours(24);
  input.realtime_cost = 100;
  input.provider_cost = 50;
  return input;
}

// BigBatch at limits that need most of the day for it.
ModeChoiceInput SlowBatch() {
  ModeChoiceInput input = BigBatch();
  input.realtime_duration = hours(16) + minutes(39);
  return input;
}

TEST(ChooseModeTest, ProviderWhenRealTimeNeedsMuchOfTheWindow) {
  ModeChoiceInput input = SlowBatch();
  ModeChoice choice = ChooseMode(input);
  EXPECT_EQ(choice.mode, Mode::kProvider);
  ASSERT_EQ(choice.reasons.size(), 2u);
  EXPECT_NE(choice.reasons[0].find("real time needs about 16h39m"), std::string::npos)
      << choice.reasons[0];
  EXPECT_NE(choice.reasons[1].find("saves $50.0000"), std::string::npos) << choice.reasons[1];
}

TEST(ChooseModeTest, RealtimeWhenItFinishesWellInsideTheWindow) {
  ModeChoice choice = ChooseMode(BigBatch());  // about 1h39m of 24h
  EXPECT_EQ(choice.mode, Mode::kRealtime);
  EXPECT_NE(choice.reasons[0].find("well inside the 24h00m left"), std::string::npos)
      << choice.reasons[0];
  EXPECT_EQ(choice.reasons[1], "real time needs about 1h39m at the current limits");
}

TEST(ChooseModeTest, WellInsideIsTunable) {
  ModeChoiceOptions options;
  options.well_inside = 0.05;  // 1h12m of 24h: 1h39m is not well inside
  EXPECT_EQ(ChooseMode(BigBatch(), options).mode, Mode::kProvider);
}

TEST(ChooseModeTest, RealtimeWhenTheWindowIsShorterThanTheProviders) {
  ModeChoiceInput input = SlowBatch();
  input.time_left = hours(6);
  ModeChoice choice = ChooseMode(input);
  EXPECT_EQ(choice.mode, Mode::kRealtime);
  EXPECT_EQ(choice.reasons[0], "6h00m left is shorter than the provider's batch window of 24h00m");
}

TEST(ChooseModeTest, RealtimeWhenTheProviderHasNoBatchApi) {
  ModeChoiceInput input = SlowBatch();
  input.provider_available = false;
  EXPECT_EQ(ChooseMode(input).mode, Mode::kRealtime);
}

TEST(ChooseModeTest, RealtimeWhenTheBatchApiSavesNothing) {
  ModeChoiceInput input = SlowBatch();
  input.provider_cost = 100;
  ModeChoice choice = ChooseMode(input);
  EXPECT_EQ(choice.mode, Mode::kRealtime);
  EXPECT_EQ(choice.reasons[0], "the provider's batch API would not cost less");
}

TEST(ChooseModeTest, UnknownPricesStillChooseByTime) {
  ModeChoiceInput input = SlowBatch();
  input.realtime_cost.reset();
  input.provider_cost.reset();
  ModeChoice choice = ChooseMode(input);
  EXPECT_EQ(choice.mode, Mode::kProvider);
  EXPECT_EQ(choice.reasons[1], "the provider's batch API is billed at its batch discount");
}

TEST(ShouldMoveToRealtimeTest, MovesOnceRealTimeBarelyFinishesBeforeTheDeadline) {
  TimePoint start{};
  TimePoint deadline = start + hours(24);
  // 60,000 requests at 1,000 rpm: 59 minutes; ×1.2 + 5 min = 75m48s before the deadline.
  Workload left{60'000, 0, 0};
  Throughput throughput{1000, 0, 0};
  LateMove early = ShouldMoveToRealtime(start + hours(20), deadline, left, throughput);
  EXPECT_FALSE(early.move);
  EXPECT_NEAR(std::chrono::duration<double>(deadline - early.latest).count(), 75 * 60 + 48, 0.01);
  LateMove late = ShouldMoveToRealtime(early.latest, deadline, left, throughput);
  EXPECT_TRUE(late.move);
  EXPECT_EQ(late.reason,
            "60000 unfinished lines need about 59m00s in real time; 1h15m left before the deadline");
}

TEST(ShouldMoveToRealtimeTest, AfterTheDeadlineItMoves) {
  TimePoint deadline = TimePoint{} + hours(1);
  EXPECT_TRUE(ShouldMoveToRealtime(deadline + seconds(1), deadline, {1, 0, 0}, {}).move);
}

TEST(DescribeDurationTest, RoundsToTheSecond) {
  EXPECT_EQ(DescribeDuration(seconds(14)), "14s");
  EXPECT_EQ(DescribeDuration(seconds(125)), "2m05s");
  EXPECT_EQ(DescribeDuration(minutes(62)), "1h02m");
  EXPECT_EQ(DescribeDuration(-seconds(3)), "0s");
}

}  // namespace
}  // namespace sluice::cost
