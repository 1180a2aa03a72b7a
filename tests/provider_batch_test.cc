// `sluice run --mode provider` against `sluice mock`'s Files + Batches API: every line answered
// once through provider batches split at the configured limits, priced at the batch discount;
// expired lines sent again; a provider batch that fails validation, an output file that does not
// parse, a batch id that vanishes and a batch that never finishes each end every line with a
// clear error, never twice; and a run killed while it polls resumes the same provider batches.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

#include "support/run_fixture.h"

namespace sluice::test_support {
namespace {

using ::testing::HasSubstr;

constexpr int kLines = 10;
constexpr auto kPollInterval = std::chrono::milliseconds(20);

class ProviderBatchTest : public ::testing::Test {
 protected:
  // Starts the mock with `mock_args` and writes a config whose model is served by an openai
  // deployment on it, provider batches of at most 4 lines polled every few milliseconds, and
  // `extra` under provider_batches.
  void Start(std::vector<std::string> mock_args, const std::string& extra = "") {
    ASSERT_TRUE(fixture_.Start(std::move(mock_args)).ok());
    fixture_.WriteInput("sluice.yaml", ProviderModeConfig(fixture_, "openai", extra));
    input_ = fixture_.WriteInput("in.jsonl", RequestLines(kLines));
    args_ = {input_, "--output", fixture_.Path("out.jsonl"), "--mode", "provider"};
  }

  boost::json::object Batches() {
    Result<boost::json::object> stats = fixture_.Stats();
    EXPECT_TRUE(stats.ok()) << stats.status();
    if (!stats.ok()) return {};
    return stats->at("batches").as_object();
  }

  std::vector<OutputLine> Output() {
    auto lines = fixture_.ReadOutput(fixture_.Path("out.jsonl"));
    EXPECT_TRUE(lines.ok()) << lines.status();
    return lines.ok() ? *lines : std::vector<OutputLine>{};
  }

  // Every line's error code (an empty string for an answer).
  std::map<std::string, int> ErrorCodes(const std::vector<OutputLine>& lines) {
    std::map<std::string, int> codes;
    for (const OutputLine& line : lines) {
      const auto& error = line.json.at("error");
      ++codes[error.is_object() ? std::string(error.at("code").as_string()) : ""];
    }
    return codes;
  }

  RunFixture fixture_;
  std::string input_;
  std::vector<std::string> args_;
};

TEST_F(ProviderBatchTest, EveryLineIsAnsweredOnceThroughProviderBatchesAtHalfPrice) {
  Start({"--seed", "3"});
  ProcessResult run = fixture_.Run(args_);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr(": 10 requests, 10 succeeded, 0 failed\n"));
  EXPECT_THAT(run.out, HasSubstr("provider mode: 10 lines sent in 3 provider batches, 0 of them "
                                 "sent again\n"));
  std::vector<OutputLine> lines = Output();
  EXPECT_TRUE(AnswersInOrder(lines, kLines));
  // Half of $1 and $2 per million tokens.
  std::int64_t weighted = 0;
  for (const OutputLine& line : lines) {
    const auto& usage = line.json.at("response").at("body").at("usage");
    weighted += usage.at("prompt_tokens").as_int64() + 2 * usage.at("completion_tokens").as_int64();
  }
  EXPECT_THAT(run.out, HasSubstr(fmt::format("cost of this run: ${:.4f}\n",
                                             static_cast<double>(weighted) / 2e6)));
  boost::json::object batches = Batches();
  EXPECT_EQ(batches.at("created"), 3);
  EXPECT_EQ(batches.at("lines"), kLines);
  Result<boost::json::object> stats = fixture_.Stats();
  EXPECT_EQ(StatCount(*stats, "duplicate_requests"), 0);
}

TEST_F(ProviderBatchTest, ExpiredLinesAreSentAgainUntilAnswered) {
  Start({"--seed", "5", "--batch-expire", "0.4"}, ", max_submissions: 20");
  ProcessResult run = fixture_.Run(args_);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr(": 10 requests, 10 succeeded, 0 failed\n"));
  EXPECT_TRUE(AnswersInOrder(Output(), kLines));
  EXPECT_GT(Batches().at("lines").as_int64(), kLines) << "some lines came back expired";
}

TEST_F(ProviderBatchTest, ABatchThatFailsValidationEndsItsLinesWithTheProvidersError) {
  Start({"--batch-fail-validation", "1"});
  ProcessResult run = fixture_.Run(args_);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::vector<OutputLine> lines = Output();
  EXPECT_TRUE(EachRequestOnce(lines, kLines));
  EXPECT_EQ(ErrorCodes(lines), (std::map<std::string, int>{{"invalid_request", kLines}}));
  EXPECT_EQ(Batches().at("lines"), kLines) << "a refused batch is not sent again";
}

TEST_F(ProviderBatchTest, LinesLostInAnOutputFileThatDoesNotParseAreSentAgainThenFail) {
  Start({"--batch-malformed-output", "1"}, ", max_submissions: 2");
  ProcessResult run = fixture_.Run(args_);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::vector<OutputLine> lines = Output();
  EXPECT_TRUE(EachRequestOnce(lines, kLines));
  std::map<std::string, int> codes = ErrorCodes(lines);
  EXPECT_GT(codes[""], 0) << "the lines before the damage are answered";
  EXPECT_GT(codes["provider_batch_result_missing"], 0);
  EXPECT_EQ(codes[""] + codes["provider_batch_result_missing"], kLines);
}

TEST_F(ProviderBatchTest, AVanishedBatchsLinesAreSentAgainThenFailClearly) {
  Start({"--batch-vanish", "1"}, ", max_submissions: 2");
  ProcessResult run = fixture_.Run(args_);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::vector<OutputLine> lines = Output();
  EXPECT_TRUE(EachRequestOnce(lines, kLines));
  EXPECT_EQ(ErrorCodes(lines), (std::map<std::string, int>{{"provider_batch_not_found", kLines}}));
  EXPECT_EQ(Batches().at("lines"), 2 * kLines);
}

TEST_F(ProviderBatchTest, ABatchThatNeverFinishesIsCancelledAfterMaxWaitAndItsLinesExpire) {
  Start({"--batch-never-finish", "1"}, ", max_wait: 50ms, max_submissions: 2");
  ProcessResult run = fixture_.Run(args_);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::vector<OutputLine> lines = Output();
  EXPECT_TRUE(EachRequestOnce(lines, kLines));
  EXPECT_EQ(ErrorCodes(lines), (std::map<std::string, int>{{"batch_expired", kLines}}));
  EXPECT_EQ(Batches().at("lines"), 2 * kLines);
}

TEST_F(ProviderBatchTest, ARunKilledWhilePollingResumesTheSameProviderBatches) {
  // The batches end 2 s after their creation: long enough to kill the run while it polls.
  Start({"--batch-turnaround", "2s"});
  Result<std::unique_ptr<Process>> first = fixture_.SpawnRun(args_);
  ASSERT_TRUE(first.ok()) << first.status();
  auto deadline = std::chrono::steady_clock::now() + kRunDeadline;
  while (Batches().at("created").as_int64() < 3 && std::chrono::steady_clock::now() < deadline) {
    Result<int> exited = (*first)->Wait(kPollInterval);  // waiting also drains its pipes
    ASSERT_FALSE(exited.ok()) << "the run ended before it could be killed";
  }
  ASSERT_TRUE((*first)->Signal(SIGKILL).ok());
  ASSERT_TRUE((*first)->Wait(kRunDeadline).ok());

  ProcessResult rerun = fixture_.Run(args_);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_THAT(rerun.out, HasSubstr(": 10 requests, 10 succeeded, 0 failed\n"));
  EXPECT_THAT(rerun.out, HasSubstr("provider mode: 0 lines sent in 0 provider batches"));
  EXPECT_TRUE(AnswersInOrder(Output(), kLines));
  boost::json::object batches = Batches();
  EXPECT_EQ(batches.at("created"), 3) << "the rerun polled the batches the first run created";
  EXPECT_EQ(batches.at("lines"), kLines) << "each line submitted once";
}

TEST_F(ProviderBatchTest, AnAnthropicModelRunsThroughMessageBatches) {
  Start({"--seed", "9"});
  fixture_.WriteInput("sluice.yaml", ProviderModeConfig(fixture_, "anthropic"));
  ProcessResult run = fixture_.Run(args_);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr(": 10 requests, 10 succeeded, 0 failed\n"));
  std::vector<OutputLine> lines = Output();
  EXPECT_TRUE(AnswersInOrder(lines, kLines));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0].json.at("response").at("body").at("object"), "chat.completion");
  EXPECT_EQ(Batches().at("created"), 3);
  EXPECT_EQ(Batches().at("lines"), kLines);
}

TEST_F(ProviderBatchTest, AnUnknownModeIsAUsageError) {
  Start({});
  ProcessResult run =
      fixture_.Run({input_, "--output", fixture_.Path("out.jsonl"), "--mode", "cheap"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "sluice run: unknown --mode 'cheap' (allowed: realtime, provider, auto)\n");
}

}  // namespace
}  // namespace sluice::test_support
