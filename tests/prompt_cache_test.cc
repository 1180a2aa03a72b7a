// Integration tests of prompt caching in `sluice run` against `sluice mock`: lines that share a
// long system prompt, interleaved in the file, are sent grouped by prefix, so the mock's prompt
// cache (which holds one prefix here) serves all but the first of each group; the cached tokens
// are in each line's usage and priced at the cached rate. In input order every line misses.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "support/run_fixture.h"

namespace sluice::test_support {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;

constexpr int kLines = 20;

// Lines alternate between two groups whose system prompts are 2,000 tokens (as the mock counts:
// 4 characters each) of their own.
std::string AlternatingGroups() {
  std::string text;
  for (int i = 0; i < kLines; ++i) {
    std::string system(8000, i % 2 == 0 ? 'a' : 'b');
    text += R"({"custom_id":")" + CustomId(i) +
            R"(","method":"POST","url":"/v1/chat/completions","body":{"model":")" + kTestModel +
            R"(","max_tokens":8,"messages":[{"role":"system","content":")" + system +
            R"("},{"role":"user","content":")" + AskText(i) + R"("}]}})" + "\n";
  }
  return text;
}

struct Totals {
  std::int64_t prompt = 0;
  std::int64_t cached = 0;
  std::int64_t completion = 0;
};

Totals UsageOf(const std::vector<OutputLine>& lines) {
  Totals t;
  for (const OutputLine& line : lines) {
    const json::value& usage = line.json.at("response").at("body").at("usage");
    t.prompt += usage.at("prompt_tokens").as_int64();
    t.cached += usage.at("prompt_tokens_details").at("cached_tokens").as_int64();
    t.completion += usage.at("completion_tokens").as_int64();
  }
  return t;
}

// Runs the file against a mock whose cache holds one prefix (8 blocks of 128 tokens).
struct CacheRun {
  ProcessResult run;
  std::vector<OutputLine> lines;
  std::int64_t mock_cached = -1;
};
CacheRun RunWith(const std::vector<std::string>& flags) {
  RunFixture fixture;
  CacheRun r;
  // One request at a time: the mock sees the lines in the order sluice sends them.
  DeploymentOptions deployment;
  deployment.max_in_flight = 1;
  Status started = fixture.Start({"--prompt-cache-blocks", "8", "--seed", "9"}, deployment);
  EXPECT_TRUE(started.ok()) << started;
  if (!started.ok()) return r;
  std::string input = fixture.WriteInput("in.jsonl", AlternatingGroups());
  std::vector<std::string> args = {input, "--output", fixture.Path("out.jsonl")};
  args.insert(args.end(), flags.begin(), flags.end());
  r.run = fixture.Run(args);
  auto lines = fixture.ReadOutput(fixture.Path("out.jsonl"));
  EXPECT_TRUE(lines.ok()) << lines.status() << r.run.err;
  if (lines.ok()) r.lines = *lines;
  r.mock_cached = StatCount(fixture.Stats().value_or(json::object{}), "cached_tokens");
  return r;
}

TEST(RunPromptCacheTest, LinesSharingAPrefixAreSentTogetherAndPricedAsCached) {
  CacheRun r = RunWith({});
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  EXPECT_TRUE(AnswersInOrder(r.lines, kLines));  // output in input order all the same
  Totals t = UsageOf(r.lines);
  // All but the first line of each group found its 1,024 + 7 × 128 tokens of system prompt.
  EXPECT_EQ(t.cached, (kLines - 2) * (1024 + 7 * 128));
  EXPECT_EQ(r.mock_cached, t.cached);
  // $1 per million uncached input tokens, $0.5 cached, $2 output (the fixture's prices).
  double dollars = static_cast<double>(t.prompt - t.cached) / 1e6 +
                   0.5 * static_cast<double>(t.cached) / 1e6 +
                   2 * static_cast<double>(t.completion) / 1e6;
  EXPECT_THAT(r.run.out, HasSubstr(fmt::format("cost of this run: ${:.4f}\n", dollars)));
}

TEST(RunPromptCacheTest, InInputOrderEachLineEvictsTheOtherGroupsPrefix) {
  CacheRun r = RunWith({"--send-order", "input"});
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  EXPECT_TRUE(AnswersInOrder(r.lines, kLines));
  EXPECT_EQ(UsageOf(r.lines).cached, 0);
  EXPECT_EQ(r.mock_cached, 0);
}

}  // namespace
}  // namespace sluice::test_support
