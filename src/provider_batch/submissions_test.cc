#include "provider_batch/submissions.h"

#include <gtest/gtest.h>

namespace sluice::provider_batch {
namespace {

TEST(SubmissionsTest, IndicesBecomeRunsAndBack) {
  IndexRuns runs = RunsOf({5, 1, 2, 3, 9, 10});
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0], (std::pair<std::int64_t, std::int64_t>(1, 3)));
  EXPECT_EQ(IndicesOf(runs), (std::vector<std::int64_t>{1, 2, 3, 5, 9, 10}));
  EXPECT_TRUE(Contains(runs, 2));
  EXPECT_TRUE(Contains(runs, 10));
  EXPECT_FALSE(Contains(runs, 4));
  EXPECT_FALSE(Contains(runs, 0));
}

TEST(SubmissionsTest, TheStateSurvivesTheBatchDataAndLeavesOtherKeysAlone) {
  ProviderBatchState state;
  Submission s;
  s.id = "batch_1-1";
  s.model = "gpt-4o-mini";
  s.lines = RunsOf({0, 1, 2});
  s.upstream_id = "batch_up";
  s.created_at_ms = 42;
  state.submissions.push_back(s);
  s.id = "batch_1-2";
  s.lines = RunsOf({1});
  s.open = false;
  state.submissions.push_back(s);
  std::string data = WriteState(R"({"metadata":{"a":"b"}})", state);
  EXPECT_NE(data.find(R"("metadata":{"a":"b"})"), std::string::npos);
  Result<ProviderBatchState> read = ReadState(data);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->submissions.size(), 2u);
  EXPECT_EQ(read->submissions[0].upstream_id, "batch_up");
  EXPECT_EQ(read->submissions[0].created_at_ms, 42);
  EXPECT_TRUE(read->submissions[0].open);
  EXPECT_FALSE(read->submissions[1].open);
  EXPECT_EQ(read->TimesSent(1), 2);
  EXPECT_EQ(read->TimesSent(2), 1);
  EXPECT_TRUE(read->InFlight(2));
  EXPECT_EQ(read->NextId("batch_1"), "batch_1-3");
}

TEST(SubmissionsTest, DataWithoutTheKeyIsAnEmptyStateAndAMalformedOneAnError) {
  EXPECT_TRUE(ReadState("{}")->submissions.empty());
  EXPECT_TRUE(ReadState("")->submissions.empty());
  EXPECT_FALSE(ReadState(R"({"provider_batches":3})").ok());
  EXPECT_FALSE(ReadState(R"({"provider_batches":[{"lines":[[1]]}]})").ok());
}

}  // namespace
}  // namespace sluice::provider_batch
