// Integration tests of `sluice run` against `sluice mock`: the results a user gets (exit code,
// output and error files, messages) and what reached the provider (the mock's /mock/stats),
// under normal answers, rate limits and upstream faults.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "support/raw_http.h"
#include "support/run_fixture.h"

namespace sluice::test_support {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// What a test looks at after a run: the command's result, the output file, the mock's stats.
struct MockRun {
  ProcessResult run;
  std::vector<OutputLine> lines;
  boost::json::object stats;
};

// Runs `count` generated requests (RequestLines) through a mock started with `mock_args`.
MockRun RunAgainstMock(RunFixture& fixture, const std::vector<std::string>& mock_args, int count,
                       const DeploymentOptions& deployment = {}) {
  MockRun result;
  Status started = fixture.Start(mock_args, deployment);
  EXPECT_TRUE(started.ok()) << started;
  if (!started.ok()) return result;
  std::string input = fixture.WriteInput("in.jsonl", RequestLines(count));
  result.run = fixture.Run({input, "--output", fixture.Path("out.jsonl")});
  Result<std::vector<OutputLine>> lines = fixture.ReadOutput(fixture.Path("out.jsonl"));
  EXPECT_TRUE(lines.ok()) << lines.status() << "\n" << result.run.err;
  if (lines.ok()) result.lines = *lines;
  Result<boost::json::object> stats = fixture.Stats();
  EXPECT_TRUE(stats.ok()) << stats.status();
  if (stats.ok()) result.stats = *stats;
  return result;
}

// The number in "sent N attempts: R retries, Q answered 429" for `what` ("retries", "429").
int SummaryCount(const std::string& out, const std::string& what) {
  std::smatch match;
  std::regex pattern(what == "retries" ? R"((\d+) retries)" : R"((\d+) answered 429)");
  return std::regex_search(out, match, pattern) ? std::stoi(match[1]) : -1;
}

TEST(RunTest, AnswersEveryLineInInputOrderAndPrintsASummary) {
  RunFixture fixture;
  MockRun r = RunAgainstMock(fixture, {"--seed", "1"}, 200);
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  EXPECT_TRUE(AnswersInOrder(r.lines, 200));
  EXPECT_THAT(r.run.out, StartsWith("batch batch_"));
  EXPECT_THAT(r.run.out, HasSubstr(": 200 requests, 200 succeeded, 0 failed\n"));
  EXPECT_THAT(r.run.out, HasSubstr("sent 200 attempts: 0 retries, 0 answered 429"));
  EXPECT_THAT(r.run.out, HasSubstr("cost of this run: $0.0"));
  EXPECT_EQ(StatCount(r.stats, "received"), 200);
  EXPECT_EQ(StatCount(r.stats, "answered"), 200);
  EXPECT_EQ(StatCount(r.stats, "duplicate_requests"), 0);
}

// Lines whose index is a multiple of 4 ask for max_tokens 0, which the mock refuses with a 400.
std::string MixedLines(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += RequestLine(i, i % 4 == 0 ? 0 : 8) + "\n";
  return text;
}

void ExpectRefused(const OutputLine& line, int index) {
  EXPECT_EQ(line.custom_id, CustomId(index));
  EXPECT_FALSE(line.succeeded);
  EXPECT_EQ(line.json.at("response").at("status_code"), 400) << boost::json::serialize(line.json);
}

TEST(RunTest, ErrorsFlagSplitsFailuresIntoTheirOwnFile) {
  RunFixture fixture;
  ASSERT_TRUE(fixture.Start({"--seed", "2"}).ok());
  std::string input = fixture.WriteInput("in.jsonl", MixedLines(12));
  ProcessResult run = fixture.Run(
      {input, "--output", fixture.Path("out.jsonl"), "--errors", fixture.Path("err.jsonl")});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr(": 12 requests, 9 succeeded, 3 failed\n"));

  auto out = fixture.ReadOutput(fixture.Path("out.jsonl"));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 9u);
  std::size_t next = 0;
  for (int i = 0; i < 12; ++i) {
    if (i % 4 == 0) continue;
    EXPECT_EQ((*out)[next].custom_id, CustomId(i));
    EXPECT_TRUE((*out)[next++].succeeded);
  }
  auto errors = fixture.ReadOutput(fixture.Path("err.jsonl"));
  ASSERT_TRUE(errors.ok()) << errors.status();
  ASSERT_EQ(errors->size(), 3u);
  for (int i = 0; i < 3; ++i) ExpectRefused((*errors)[static_cast<std::size_t>(i)], i * 4);
}

TEST(RunTest, WithoutErrorsFlagFailuresStayInTheOutputInInputOrder) {
  RunFixture fixture;
  ASSERT_TRUE(fixture.Start({"--seed", "3"}).ok());
  std::string input = fixture.WriteInput("in.jsonl", MixedLines(12));
  ProcessResult run = fixture.Run({input, "--output", fixture.Path("out.jsonl")});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto out = fixture.ReadOutput(fixture.Path("out.jsonl"));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 12u);
  for (int i = 0; i < 12; ++i) {
    const OutputLine& line = (*out)[static_cast<std::size_t>(i)];
    if (i % 4 == 0) {
      ExpectRefused(line, i);
    } else {
      EXPECT_EQ(line.custom_id, CustomId(i));
      EXPECT_TRUE(line.succeeded);
    }
  }
}

// Someone else has just spent the account's token budget (the mock grants 60000 tokens a minute,
// refilled at 1000 a second) while sluice believes it has far more: the run starts into a wall of
// 429s, must ride them out and still answer every line.
TEST(RunTest, RateLimitStormStillAnswersEveryLine) {
  // About 12 tokens each at the mock: over two seconds of refill. The first wave (128 in flight,
  // 1.5 s of refill) must meet the drained budget even when sluice's start is slow (it loads the
  // vocabularies first: 0.3 s in a debug build, more under sanitizers); after it, the mock's
  // headers teach sluice the real budget.
  constexpr int kLines = 200;
  RunFixture fixture;
  DeploymentOptions deployment;
  deployment.max_in_flight = 128;
  ASSERT_TRUE(fixture.Start({"--seed", "4", "--tpm", "60000"}, deployment).ok());
  Result<RawResponse> drain = RawHttp(
      fixture.mock_port(), "POST", "/v1/chat/completions",
      R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"max_tokens":59990})",
      kRunDeadline);
  ASSERT_TRUE(drain.ok()) << drain.status();
  ASSERT_EQ(drain->status, 200) << drain->body;

  std::string input = fixture.WriteInput("in.jsonl", RequestLines(kLines));
  ProcessResult run = fixture.Run({input, "--output", fixture.Path("out.jsonl")});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto lines = fixture.ReadOutput(fixture.Path("out.jsonl"));
  ASSERT_TRUE(lines.ok()) << lines.status();
  EXPECT_TRUE(AnswersInOrder(*lines, kLines));
  auto stats = fixture.Stats();
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_GT(StatCount(*stats, "rate_limited"), 0) << "the test must provoke 429s";
  EXPECT_EQ(SummaryCount(run.out, "429"), StatCount(*stats, "rate_limited")) << run.out;
  EXPECT_EQ(StatCount(*stats, "answered"), kLines + 1);
}

// The fixture's backoff starts at 20 ms (`retry:` in its config), so any seed stays short.
TEST(RunTest, ServerErrorsAreRetriedAndEveryLineEndsWithOneResult) {
  RunFixture fixture;
  MockRun r =
      RunAgainstMock(fixture, {"--seed", "3", "--fail-500", "0.2", "--fail-503", "0.1"}, 100);
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  EXPECT_TRUE(EachRequestOnce(r.lines, 100));
  // Ten attempts almost always outlast a 30% fault rate; a line that did not is a 5xx failure.
  std::int64_t failed = 0;
  for (std::size_t i = 0; i < r.lines.size(); ++i) {
    const OutputLine& line = r.lines[i];
    EXPECT_EQ(line.custom_id, CustomId(static_cast<int>(i)));
    if (line.succeeded) continue;
    ++failed;
    std::int64_t status = line.json.at("response").at("status_code").to_number<std::int64_t>();
    EXPECT_TRUE(status == 500 || status == 503) << boost::json::serialize(line.json);
  }
  auto faults = r.stats.at("faults").as_object();
  // Every fault was retried, except the last one of each line that gave up.
  EXPECT_EQ(SummaryCount(r.run.out, "retries"),
            StatCount(faults, "http_500") + StatCount(faults, "http_503") - failed)
      << r.run.out;
}

TEST(RunTest, ConnectionResetsAreRetriedAndEveryLineEndsWithOneResult) {
  RunFixture fixture;
  MockRun r = RunAgainstMock(fixture, {"--seed", "6", "--fail-reset", "0.1"}, 100);
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  EXPECT_TRUE(AnswersInOrder(r.lines, 100));
  auto faults = r.stats.at("faults").as_object();
  EXPECT_GT(StatCount(faults, "reset"), 0);
}

TEST(RunTest, MalformedUpstreamBodiesAreNotMixedUpWithOtherLines) {
  RunFixture fixture;
  MockRun r = RunAgainstMock(fixture, {"--seed", "7", "--fail-malformed", "0.1"}, 100);
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  EXPECT_TRUE(EachRequestOnce(r.lines, 100));
  // A 200 whose body is not JSON is retried, not passed on as the line's answer.
  EXPECT_TRUE(AnswersInOrder(r.lines, 100));
  auto faults = r.stats.at("faults").as_object();
  EXPECT_GT(StatCount(faults, "malformed"), 0);
  EXPECT_EQ(SummaryCount(r.run.out, "retries"), StatCount(faults, "malformed")) << r.run.out;
}

// A 200 that is never JSON, however often it is asked again, is not embedded in the output:
// its line is an error naming the status, and the file still parses line by line.
TEST(RunTest, BodiesThatAreNeverJsonEndAsErrorLines) {
  RunFixture fixture;
  MockRun r = RunAgainstMock(fixture, {"--fail-malformed", "1"}, 3);
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  ASSERT_EQ(r.lines.size(), 3u);
  for (const OutputLine& line : r.lines) {
    EXPECT_TRUE(line.json.at("response").is_null()) << boost::json::serialize(line.json);
    EXPECT_EQ(line.json.at("error").at("code"), "upstream_invalid_response");
    EXPECT_THAT(std::string(line.json.at("error").at("message").as_string()),
                StartsWith("upstream answered HTTP 200 with a body that is not JSON"));
  }
}

// A hung request is abandoned after the deployment's timeout and sent again.
TEST(RunTest, HungRequestsTimeOutAndAreRetried) {
  RunFixture fixture;
  DeploymentOptions deployment;
  deployment.timeout = "1s";
  MockRun r = RunAgainstMock(fixture, {"--seed", "8", "--fail-hang", "0.05"}, 100, deployment);
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  EXPECT_TRUE(AnswersInOrder(r.lines, 100));
  auto faults = r.stats.at("faults").as_object();
  EXPECT_GT(StatCount(faults, "hang"), 0);
  EXPECT_EQ(StatCount(r.stats, "answered"), 100);
}

}  // namespace
}  // namespace sluice::test_support
