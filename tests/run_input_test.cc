// Integration tests of `sluice run` on unusual input files and command lines: invalid lines with
// and without --skip-invalid, empty and odd files, --dry-run, reruns, bad flags. Each checks what
// the user sees and, through /mock/stats, what was (not) sent.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string_view>

#include "support/run_fixture.h"

namespace sluice::test_support {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::int64_t Received(const RunFixture& fixture) {
  Result<boost::json::object> stats = fixture.Stats();
  EXPECT_TRUE(stats.ok()) << stats.status();
  return stats.ok() ? StatCount(*stats, "received") : -1;
}

std::size_t CountLines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

class RunInputTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(fixture_.Start({"--seed", "11"}).ok()); }

  // Runs `content` as in.jsonl into out.jsonl with `flags`.
  ProcessResult RunFile(const std::string& content, std::vector<std::string> flags = {}) {
    std::vector<std::string> args = {fixture_.WriteInput("in.jsonl", content), "--output",
                                     fixture_.Path("out.jsonl")};
    args.insert(args.end(), flags.begin(), flags.end());
    return fixture_.Run(args);
  }

  std::vector<OutputLine> Output() {
    auto lines = fixture_.ReadOutput(fixture_.Path("out.jsonl"));
    EXPECT_TRUE(lines.ok()) << lines.status();
    return lines.ok() ? *lines : std::vector<OutputLine>{};
  }

  RunFixture fixture_;
};

TEST_F(RunInputTest, EmptyFileCompletesWithAnEmptyOutput) {
  ProcessResult run = RunFile("");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(Output().empty());
  EXPECT_THAT(run.out, HasSubstr(": 0 requests, 0 succeeded, 0 failed\n"));
  EXPECT_EQ(Received(fixture_), 0);
}

TEST_F(RunInputTest, OneLineFile) {
  ProcessResult run = RunFile(RequestLines(1));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(AnswersInOrder(Output(), 1));
}

TEST_F(RunInputTest, LastLineWithoutNewlineIsARequest) {
  ProcessResult run = RunFile(RequestLines(2) + RequestLine(2));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(AnswersInOrder(Output(), 3));
}

TEST_F(RunInputTest, CrlfLineEndsAreAccepted) {
  ProcessResult run = RunFile(RequestLine(0) + "\r\n" + RequestLine(1) + "\r\n");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(AnswersInOrder(Output(), 2));
}

TEST_F(RunInputTest, BlankLinesAreSkippedAndOrderIsKept) {
  ProcessResult run = RunFile(RequestLine(0) + "\n\n  \n" + RequestLine(1) + "\n");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(AnswersInOrder(Output(), 2));
}

// One invalid line between two good ones.
struct InvalidLineCase {
  std::string name;
  std::string line;
  std::string code;  // OpenAI's BatchError code
};

// Test names only: a case's line may be megabytes long.
void PrintTo(const InvalidLineCase& c, std::ostream* os) { *os << c.name; }

std::string HugeLine() {
  std::string line = RequestLine(1);
  std::string padding(9 * 1024 * 1024, 'x');
  return line.substr(0, line.size() - 1) + R"(,"padding":")" + padding + R"("})";
}

std::string NonUtf8Line() {
  std::string line = RequestLine(1);
  return line.replace(line.find("ask-"), 4, "\xff\xfe-");
}

std::string WithReplaced(std::string line, const std::string& from, const std::string& to) {
  return line.replace(line.find(from), from.size(), to);
}

class InvalidLineTest : public RunInputTest,
                        public ::testing::WithParamInterface<InvalidLineCase> {};

// Without --skip-invalid nothing is sent and stderr names the line; the same file with
// --skip-invalid then runs, the invalid line becoming an error line in its place.
TEST_P(InvalidLineTest, StopsBeforeSendingThenSkipInvalidRunsTheRest) {
  const InvalidLineCase& c = GetParam();
  std::string content = RequestLine(0) + "\n" + c.line + "\n" + RequestLine(2) + "\n";
  ProcessResult strict = RunFile(content);
  EXPECT_EQ(strict.exit_code, 1) << strict.err;
  EXPECT_THAT(strict.err, StartsWith("line 2: " + c.code + ": "));
  EXPECT_THAT(strict.err, HasSubstr("1 invalid lines; nothing was sent"));
  EXPECT_EQ(CountLines(strict.err), 2u) << strict.err;
  EXPECT_EQ(Received(fixture_), 0);

  ProcessResult lenient = RunFile(content, {"--skip-invalid"});
  EXPECT_EQ(lenient.exit_code, 0) << lenient.err;
  std::vector<OutputLine> out = Output();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_TRUE(AnswersInOrder({out[0]}, 1));
  EXPECT_TRUE(out[1].json.at("response").is_null()) << boost::json::serialize(out[1].json);
  EXPECT_EQ(out[1].json.at("error").at("code"), c.code.c_str())
      << boost::json::serialize(out[1].json);
  EXPECT_EQ(out[2].custom_id, CustomId(2));
  EXPECT_TRUE(out[2].succeeded);
  EXPECT_EQ(Received(fixture_), 2);
}

INSTANTIATE_TEST_SUITE_P(
    Lines, InvalidLineTest,
    ::testing::Values(
        InvalidLineCase{"NotJson", "{\"custom_id\": \"req-1\",", "invalid_json_line"},
        InvalidLineCase{"NonUtf8", NonUtf8Line(), "invalid_json_line"},
        InvalidLineCase{"Huge", HugeLine(), "line_too_large"},
        InvalidLineCase{"DuplicateCustomId", RequestLine(0), "duplicate_custom_id"},
        InvalidLineCase{"UnknownModel", WithReplaced(RequestLine(1), kTestModel, "gpt-9-imaginary"),
                        "model_not_found"},
        InvalidLineCase{"UnsupportedUrl",
                        WithReplaced(RequestLine(1), "/v1/chat/completions", "/v1/images"),
                        "invalid_url"}),
    [](const auto& test) { return test.param.name; });

TEST_F(RunInputTest, ManyInvalidLinesAreAllCountedAndNamed) {
  std::string content;
  for (int i = 0; i < 5; ++i) content += RequestLine(i) + "\n" + "not json\n";
  ProcessResult run = RunFile(content);
  EXPECT_EQ(run.exit_code, 1);
  for (int line : {2, 4, 6, 8, 10}) {
    EXPECT_THAT(run.err, HasSubstr("line " + std::to_string(line) + ": invalid_json_line: "));
  }
  EXPECT_THAT(run.err, HasSubstr("5 invalid lines; nothing was sent"));
  EXPECT_EQ(Received(fixture_), 0);
}

TEST_F(RunInputTest, DryRunEstimatesAndSendsNothing) {
  ProcessResult run = RunFile(RequestLines(50), {"--dry-run"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, StartsWith("dry run: 50 requests, 0 invalid lines\n"));
  EXPECT_THAT(run.out, HasSubstr("estimated tokens: "));
  EXPECT_THAT(run.out, HasSubstr(std::string("  ") + kTestModel + ": 50 requests, "));
  EXPECT_THAT(run.out, HasSubstr("least time at the configured limits: "));
  EXPECT_THAT(run.out, HasSubstr("estimated cost: at most $0.0"));
  EXPECT_THAT(run.out, HasSubstr("nothing was sent"));
  EXPECT_EQ(Received(fixture_), 0);
  EXPECT_FALSE(fixture_.ReadOutput(fixture_.Path("out.jsonl")).ok()) << "no output file";
}

// With the vocabularies of scripts/setup.sh in the repository, found from the binary's place in
// the build tree, a dry run counts gpt-4o-mini prompts exactly, as OpenAI does: 3 per message +
// "user" (1) + "hello world" (2) + 3 priming the reply.
TEST_F(RunInputTest, DryRunCountsPromptTokensExactly) {
  if (!std::filesystem::exists(SLUICE_FIXTURES_DIR "/../../data/tokenizers/o200k_base.tiktoken")) {
    const char* required = std::getenv("SLUICE_REQUIRE_VOCABULARIES");
    ASSERT_FALSE(required != nullptr && std::string_view(required) == "1")
        << "vocabularies missing: run scripts/setup.sh";
    GTEST_SKIP() << "vocabularies missing: run scripts/fetch_vocabularies.sh";
  }
  std::string line =
      std::string(R"({"custom_id":"a","method":"POST","url":"/v1/chat/completions",)") +
      R"("body":{"model":")" + kTestModel +
      R"(","messages":[{"role":"user","content":"hello world"}],"max_tokens":10}})";
  ProcessResult run = RunFile(line + "\n", {"--dry-run"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("estimated tokens: 9 prompt + 10 output cap = 19\n"));
  EXPECT_THAT(run.out, HasSubstr("prompt tokens: exact"));
}

// `sluice run <input> --dry-run` with a config of one model served by `provider` (no prices:).
ProcessResult DryRunWithoutPrices(const RunFixture& fixture, const std::string& provider) {
  std::string config = fixture.WriteInput(
      provider + ".yaml", "data_dir: " + fixture.Path("data") + "\nmodels:\n  - name: " +
                              kTestModel + "\n    deployments:\n      - provider: " + provider +
                              "\n        base_url: http://127.0.0.1:" +
                              std::to_string(fixture.mock_port()) +
                              "/v1\n        api_key: sk-test\n");
  std::string input = fixture.WriteInput("priced.jsonl", RequestLines(50));
  auto run = RunToCompletion(SLUICE_BIN, {"run", input, "--output", fixture.Path("priced.out.jsonl"), "--dry-run", "--config",
                                       config},
                             MinimalEnvironment(), kRunDeadline);
  return run.ok() ? *run : ProcessResult{-1, "", run.status().ToString()};
}

// Without prices: in the config, an OpenAI model is priced from the table that ships with sluice
// (gpt-4o-mini: $0.15 in, $0.60 out per million tokens).
TEST_F(RunInputTest, DryRunPricesAKnownModelFromTheShippedTable) {
  ProcessResult run = DryRunWithoutPrices(fixture_, "openai");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::smatch tokens;
  ASSERT_TRUE(std::regex_search(
      run.out, tokens, std::regex(R"(estimated tokens: (\d+) prompt \+ (\d+) output cap)")));
  double most = (std::stod(tokens[1]) * 0.15 + std::stod(tokens[2]) * 0.60) / 1e6;
  char expected[64];
  std::snprintf(expected, sizeof expected, "estimated cost: at most $%.4f", most);
  EXPECT_THAT(run.out, HasSubstr(expected));
  EXPECT_EQ(Received(fixture_), 0);
}

// A server of our own has no list price: the summary says so, never $0.
TEST_F(RunInputTest, DryRunSaysWhichModelsHaveNoKnownPrice) {
  ProcessResult run = DryRunWithoutPrices(fixture_, "openai-compatible");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr(std::string("cost: price unknown for ") + kTestModel +
                                 " (set prices: in the config)\n"));
  EXPECT_THAT(run.out, Not(HasSubstr("$")));
}

TEST_F(RunInputTest, RerunOfACompletedFileSendsNothingUnlessForced) {
  std::string content = RequestLines(20);
  ProcessResult first = RunFile(content);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(Received(fixture_), 20);

  // Same file (not rewritten: same size and mtime), results asked for at another path: they are
  // written there from the store.
  std::string input = fixture_.Path("in.jsonl");
  ProcessResult again = fixture_.Run({input, "--output", fixture_.Path("again.jsonl")});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("already completed as batch_"));
  EXPECT_THAT(again.out, HasSubstr("nothing to do"));
  EXPECT_EQ(Received(fixture_), 20);
  auto rewritten = fixture_.ReadOutput(fixture_.Path("again.jsonl"));
  ASSERT_TRUE(rewritten.ok()) << rewritten.status();
  EXPECT_TRUE(AnswersInOrder(*rewritten, 20));

  ProcessResult forced = fixture_.Run({input, "--output", fixture_.Path("out.jsonl"), "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_THAT(forced.out, HasSubstr(": 20 requests, 20 succeeded, 0 failed\n"));
  EXPECT_EQ(Received(fixture_), 40);
  EXPECT_TRUE(AnswersInOrder(Output(), 20));
}

// The answers are saved before the output is written: fixing the path and running again writes
// them without sending anything twice.
TEST_F(RunInputTest, UnwritableOutputKeepsTheResultsForTheRerun) {
  std::string input = fixture_.WriteInput("in.jsonl", RequestLines(10));
  std::string bad = fixture_.Path("no-such-dir/out.jsonl");
  ProcessResult failed = fixture_.Run({input, "--output", bad});
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_THAT(failed.err, StartsWith("sluice run: cannot create " + bad));
  EXPECT_EQ(CountLines(failed.err), 1u) << failed.err;
  EXPECT_EQ(Received(fixture_), 10);

  ProcessResult rerun = fixture_.Run({input, "--output", fixture_.Path("out.jsonl")});
  EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_THAT(rerun.out, StartsWith("resumed batch_"));
  EXPECT_TRUE(AnswersInOrder(Output(), 10));
  EXPECT_EQ(Received(fixture_), 10);
}

TEST_F(RunInputTest, MissingOutputFlagIsAUsageError) {
  std::string input = fixture_.WriteInput("in.jsonl", RequestLines(1));
  ProcessResult run = fixture_.Run({input});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("--output"));
  EXPECT_EQ(CountLines(run.err), 1u) << run.err;
  EXPECT_EQ(Received(fixture_), 0);
}

TEST_F(RunInputTest, UnreadableInputExitsOneWithOneLine) {
  std::string missing = fixture_.Path("no-such-file.jsonl");
  ProcessResult run = fixture_.Run({missing, "--output", fixture_.Path("out.jsonl")});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, StartsWith("sluice run: cannot read " + missing));
  EXPECT_EQ(CountLines(run.err), 1u) << run.err;
  EXPECT_EQ(run.out, "");
}

TEST_F(RunInputTest, DirectoryAsInputExitsOneNamingIt) {
  std::string dir = fixture_.Path("a-directory");
  ASSERT_TRUE(std::filesystem::create_directory(dir));
  ProcessResult run = fixture_.Run({dir, "--output", fixture_.Path("out2.jsonl")});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, StartsWith("sluice run: cannot read " + dir));
  EXPECT_EQ(CountLines(run.err), 1u) << run.err;
}

}  // namespace
}  // namespace sluice::test_support
