// Integration tests of dedup in `sluice run` against `sluice mock`: identical lines (however their
// JSON is spelled) are sent once, every line is answered under its own custom_id, the summary and
// the cost count the request once, and a kill -9 mid-run followed by a rerun neither loses nor
// doubles a line.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <map>
#include <regex>

#include "support/run_fixture.h"

namespace sluice::test_support {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;

// Line `index` asks what request `index % distinct` asks, at temperature 0; every other copy
// spells its JSON with its keys in another order and with spaces, which must not matter.
std::string DuplicateLines(int count, int distinct) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    int ask = i % distinct;
    std::string content = json::serialize(json::value(AskText(ask)));
    std::string body = (i / distinct) % 2 == 0
                           ? R"({"model":")" + std::string(kTestModel) +
                                 R"(","messages":[{"role":"user","content":)" + content +
                                 R"(}],"max_tokens":8,"temperature":0})"
                           : R"({ "temperature" : 0.0, "max_tokens" : 8, "messages" : [ {)"
                             R"("content" : )" +
                                 content + R"(, "role" : "user"} ], "model" : ")" +
                                 std::string(kTestModel) + R"(" })";
    text += R"({"custom_id":")" + CustomId(i) +
            R"(","method":"POST","url":"/v1/chat/completions","body":)" + body + "}\n";
  }
  return text;
}

// Every line once, in input order, under its own custom_id, answering its own question; the
// copies (every line past the first `distinct`) name the line whose answer they share.
void ExpectEveryLineAnswered(const std::vector<OutputLine>& lines, int count, int distinct) {
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(count));
  std::map<int, std::string> first_ids;
  for (int i = 0; i < count; ++i) {
    const OutputLine& line = lines[static_cast<std::size_t>(i)];
    EXPECT_EQ(line.custom_id, CustomId(i));
    ASSERT_TRUE(line.succeeded) << json::serialize(line.json);
    EXPECT_THAT(line.content, HasSubstr(" " + AskText(i % distinct)));
    const json::object& object = line.json.as_object();
    std::string id(object.at("id").as_string());
    if (i < distinct) {
      first_ids[i] = id;
      EXPECT_FALSE(object.contains("sluice_duplicate_of")) << json::serialize(object);
    } else {
      EXPECT_EQ(json::value_to<std::string>(object.at("sluice_duplicate_of")),
                first_ids[i % distinct]);
      EXPECT_NE(id, first_ids[i % distinct]);
    }
  }
}

double CostOfRun(const std::string& out) {
  std::smatch match;
  std::regex pattern(R"(cost of this run: \$([0-9.]+))");
  return std::regex_search(out, match, pattern) ? std::stod(match[1]) : -1;
}

TEST(RunDedupTest, IdenticalLinesAreSentOnceAndEachIsAnsweredUnderItsOwnId) {
  RunFixture fixture;
  ASSERT_TRUE(fixture.Start({"--seed", "5"}).ok());
  std::string input = fixture.WriteInput("in.jsonl", DuplicateLines(30, 10));
  ProcessResult run = fixture.Run({input, "--output", fixture.Path("out.jsonl")});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr(": 30 requests, 30 succeeded, 0 failed\n"));
  EXPECT_THAT(run.out, HasSubstr("sent 10 attempts"));
  EXPECT_THAT(run.out, HasSubstr("dedup: 20 requests not sent"));
  Result<json::object> stats = fixture.Stats();
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(StatCount(*stats, "received"), 10);
  EXPECT_EQ(StatCount(*stats, "duplicate_requests"), 0);
  auto lines = fixture.ReadOutput(fixture.Path("out.jsonl"));
  ASSERT_TRUE(lines.ok()) << lines.status();
  ExpectEveryLineAnswered(*lines, 30, 10);
  // What was billed: the ten requests sent ($1 per million input tokens, $2 output).
  std::int64_t weighted = 0;
  for (int i = 0; i < 10; ++i) {
    const auto& usage =
        (*lines)[static_cast<std::size_t>(i)].json.at("response").at("body").at("usage");
    weighted += usage.at("prompt_tokens").as_int64() + 2 * usage.at("completion_tokens").as_int64();
  }
  EXPECT_NEAR(CostOfRun(run.out), static_cast<double>(weighted) / 1e6, 1e-4);
  EXPECT_THAT(run.out,
              HasSubstr(fmt::format("${:.6f} saved", 2 * static_cast<double>(weighted) / 1e6)));
}

TEST(RunDedupTest, OffSendsEveryLine) {
  RunFixture fixture;
  ASSERT_TRUE(fixture.Start({"--seed", "5"}).ok());
  std::string input = fixture.WriteInput("in.jsonl", DuplicateLines(30, 10));
  ProcessResult run = fixture.Run({input, "--output", fixture.Path("out.jsonl"), "--dedup", "off"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("sent 30 attempts"));
  EXPECT_THAT(run.out, ::testing::Not(HasSubstr("dedup:")));
  Result<json::object> stats = fixture.Stats();
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(StatCount(*stats, "received"), 30);
}

TEST(RunDedupTest, AutoLeavesSampledLinesAlone) {
  RunFixture fixture;
  ASSERT_TRUE(fixture.Start({"--seed", "5"}).ok());
  // The same request twice, without a temperature (1: sampled): two answers are wanted.
  std::string line = RequestLine(0);
  std::string copy = std::regex_replace(line, std::regex("req-0"), "req-1");
  std::string input = fixture.WriteInput("in.jsonl", line + "\n" + copy + "\n");
  ProcessResult run = fixture.Run({input, "--output", fixture.Path("out.jsonl")});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  Result<json::object> stats = fixture.Stats();
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(StatCount(*stats, "received"), 2);
  ProcessResult always = fixture.Run(
      {input, "--output", fixture.Path("always.jsonl"), "--dedup", "always", "--force"});
  EXPECT_EQ(always.exit_code, 0) << always.err;
  EXPECT_THAT(always.out, HasSubstr("dedup: 1 requests not sent"));
  EXPECT_THAT(fixture.Run({input, "--output", "x", "--dedup", "sometimes"}).err,
              HasSubstr("--dedup"));
}

TEST(RunDedupTest, ADryRunSaysHowManyLinesRepeat) {
  RunFixture fixture;
  ASSERT_TRUE(fixture.Start({"--seed", "5"}).ok());
  std::string input = fixture.WriteInput("in.jsonl", DuplicateLines(30, 10));
  ProcessResult run = fixture.Run({input, "--output", fixture.Path("out.jsonl"), "--dry-run"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("dedup: 20 lines repeat an earlier line and would not be sent"));
  Result<json::object> stats = fixture.Stats();
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(StatCount(*stats, "received"), 0);
}

// Killed while originals and their copies are half answered, the rerun answers every line once
// and sends no line whose answer (or whose original's answer) was saved.
TEST(RunDedupTest, KillNineMidRunThenRerunNeitherLosesNorDoubles) {
  constexpr int kLines = 300;
  constexpr int kDistinct = 100;
  constexpr std::int64_t kMaxInFlight = 8;
  RunFixture fixture;
  DeploymentOptions deployment;
  deployment.max_in_flight = kMaxInFlight;
  ASSERT_TRUE(fixture.Start({"--seed", "6", "--ttfb", "50ms"}, deployment).ok());
  std::string input = fixture.WriteInput("in.jsonl", DuplicateLines(kLines, kDistinct));
  std::vector<std::string> args = {input, "--output", fixture.Path("out.jsonl")};
  Result<std::unique_ptr<Process>> run = fixture.SpawnRun(args);
  ASSERT_TRUE(run.ok()) << run.status();
  auto deadline = std::chrono::steady_clock::now() + kRunDeadline;
  std::int64_t answered = 0;
  while (answered < kDistinct / 3 && std::chrono::steady_clock::now() < deadline) {
    ASSERT_FALSE((*run)->Wait(std::chrono::milliseconds(20)).ok()) << "ended before the kill";
    answered = StatCount(fixture.Stats().value_or(json::object{}), "answered");
  }
  ASSERT_TRUE((*run)->Signal(SIGKILL).ok());
  ASSERT_TRUE((*run)->Wait(kRunDeadline).ok());
  ASSERT_LT(StatCount(fixture.Stats().value_or(json::object{}), "received"), kDistinct);

  ProcessResult rerun = fixture.Run(args);
  EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_THAT(rerun.out, HasSubstr(": 300 requests, 300 succeeded, 0 failed\n"));
  EXPECT_THAT(rerun.out, HasSubstr("dedup: 200 requests not sent"));
  auto lines = fixture.ReadOutput(fixture.Path("out.jsonl"));
  ASSERT_TRUE(lines.ok()) << lines.status();
  ExpectEveryLineAnswered(*lines, kLines, kDistinct);
  json::object stats = fixture.Stats().value_or(json::object{});
  // Only what the kill caught unsaved is sent again (as in run_resume_test), never a copy.
  EXPECT_LE(StatCount(stats, "received"), kDistinct + 2 * kMaxInFlight);
}

}  // namespace
}  // namespace sluice::test_support
