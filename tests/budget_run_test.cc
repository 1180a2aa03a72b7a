// `sluice run --max-cost` and `--dry-run` against `sluice mock`: at the cap the run stops
// sending, saves what finished and says why; a rerun with a higher cap answers every line once.
// A dry run prices the file in both modes and sends nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "support/run_fixture.h"

namespace sluice::test_support {
namespace {

using ::testing::HasSubstr;

// What the answered lines of `lines` cost at the fixture's prices ($1 per million input tokens,
// $2 output).
double CostOf(const std::vector<OutputLine>& lines) {
  double dollars = 0;
  for (const OutputLine& line : lines) {
    const boost::json::object& usage = line.json.at("response").at("body").at("usage").as_object();
    dollars += static_cast<double>(usage.at("prompt_tokens").as_int64() +
                                   2 * usage.at("completion_tokens").as_int64()) /
               1e6;
  }
  return dollars;
}

DeploymentOptions InFlight(std::int64_t max_in_flight) {
  DeploymentOptions deployment;
  deployment.max_in_flight = max_in_flight;
  return deployment;
}

TEST(BudgetRunTest, PausesAtTheCapAndAHigherCapFinishesEveryLineOnce) {
  RunFixture fixture;
  ASSERT_TRUE(fixture.Start({}, InFlight(4)).ok());
  std::string input = fixture.WriteInput("in.jsonl", RequestLines(40));
  // Each line may cost up to about $0.00005 (its prompt and 8 output tokens at $2 per million);
  // the cap lets some go, not all.
  ProcessResult capped =
      fixture.Run({input, "--output", fixture.Path("out.jsonl"), "--max-cost", "0.0003"});
  EXPECT_EQ(capped.exit_code, 1) << capped.err;
  EXPECT_THAT(capped.err, HasSubstr("paused for budget: its max cost of $0.0003 is reached"));
  EXPECT_THAT(capped.err, HasSubstr("run the same command with a higher --max-cost to go on"));
  Result<boost::json::object> stats = fixture.Stats();
  ASSERT_TRUE(stats.ok());
  std::int64_t sent = StatCount(*stats, "received");
  EXPECT_GT(sent, 0);
  EXPECT_LT(sent, 40) << "the cap held nothing back";

  ProcessResult rest =
      fixture.Run({input, "--output", fixture.Path("out.jsonl"), "--max-cost", "1"});
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  Result<std::vector<OutputLine>> lines = fixture.ReadOutput(fixture.Path("out.jsonl"));
  ASSERT_TRUE(lines.ok());
  EXPECT_TRUE(AnswersInOrder(*lines, 40));
  stats = fixture.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(StatCount(*stats, "received"), 40) << "a line was sent twice";
  EXPECT_THAT(rest.out, HasSubstr("cost of the whole batch, earlier runs included"));
}

TEST(BudgetRunTest, TheCapIsNotOvershotByTheRequestsInFlight) {
  RunFixture fixture;
  ASSERT_TRUE(fixture.Start({}, InFlight(16)).ok());
  std::string input = fixture.WriteInput("in.jsonl", RequestLines(60));
  ProcessResult capped =
      fixture.Run({input, "--output", fixture.Path("out.jsonl"), "--max-cost", "0.0005"});
  ASSERT_EQ(capped.exit_code, 1) << capped.err;
  ProcessResult rest = fixture.Run({input, "--output", fixture.Path("out.jsonl")});
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  Result<std::vector<OutputLine>> lines = fixture.ReadOutput(fixture.Path("out.jsonl"));
  ASSERT_TRUE(lines.ok());
  ASSERT_TRUE(AnswersInOrder(*lines, 60));
  // The first run's share is what the mock answered before the second run started.
  std::smatch spent;
  std::regex cost_of_run(R"(cost of this run: \$([0-9.]+))");
  ASSERT_TRUE(std::regex_search(capped.out, spent, cost_of_run)) << capped.out;
  EXPECT_LE(std::stod(spent[1]), 0.0005 + 1e-9);
  EXPECT_GT(CostOf(*lines), 0.0005);
}

TEST(BudgetRunTest, BadCapIsAUsageError) {
  RunFixture fixture;
  ASSERT_TRUE(fixture.Start({}).ok());
  std::string input = fixture.WriteInput("in.jsonl", RequestLines(2));
  for (const char* bad : {"abc", "-1"}) {
    ProcessResult run =
        fixture.Run({input, "--output", fixture.Path("out.jsonl"), "--max-cost", bad});
    EXPECT_EQ(run.exit_code, 2) << bad;
    EXPECT_THAT(run.err, HasSubstr("sluice run: --max-cost: '" + std::string(bad) + "'"));
  }
  Result<boost::json::object> stats = fixture.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(StatCount(*stats, "received"), 0);
}

}  // namespace
}  // namespace sluice::test_support

namespace sluice::test_support {
namespace {

TEST(BudgetRunTest, DryRunShowsBothModesAndSendsNothing) {
  RunFixture fixture;
  ASSERT_TRUE(fixture.Start({}).ok());
  // An openai deployment (the generated config's is openai-compatible, which has no batch API).
  fixture.WriteInput("sluice.yaml", "data_dir: " + fixture.Path("data") +
                                        "\nmodels:\n  - name: gpt-4o-mini\n"
                                        "    prices: {input: 1.0, cached_input: 0.5, output: 2.0}\n"
                                        "    deployments:\n      - provider: openai\n"
                                        "        base_url: http://127.0.0.1:" +
                                        std::to_string(fixture.mock_port()) +
                                        "/v1\n        api_key: sk-test\n        rpm: 60\n");
  std::string input = fixture.WriteInput("in.jsonl", RequestLines(600));
  ProcessResult dry = fixture.Run({input, "--output", fixture.Path("out.jsonl"), "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  // 600 requests at 60 rpm: 9 minutes after the first minute's 60.
  EXPECT_THAT(dry.out, ::testing::MatchesRegex(
                           "(.|\n)*\nrealtime +\\$0\\.[0-9]+ +9m00s +the least time(.|\n)*"));
  EXPECT_THAT(dry.out, ::testing::MatchesRegex(
                           "(.|\n)*\nprovider +\\$0\\.[0-9]+ +up to 24h00m +up to the provider's "
                           "batch window(.|\n)*"));
  EXPECT_THAT(dry.out, HasSubstr("auto would run it realtime: real time finishes well inside"));
  EXPECT_THAT(dry.out, HasSubstr("nothing was sent"));
  Result<boost::json::object> stats = fixture.Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(StatCount(*stats, "received"), 0);
}

}  // namespace
}  // namespace sluice::test_support
