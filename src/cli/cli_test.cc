#include "cli/cli.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace sluice::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

// Runs the CLI in-process; only for paths that start no server.
Outcome RunSluice(std::vector<std::string> args) {
  args.insert(args.begin(), "sluice");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  int code = RunCli(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

int Lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

TEST(CliTest, VersionPrintsProjectVersion) {
  Outcome o = RunSluice({"--version"});
  EXPECT_EQ(o.code, 0);
  EXPECT_EQ(o.out, "sluice 0.1.0\n");
  EXPECT_EQ(std::string("0.1.0"), Version());
}

TEST(CliTest, HelpListsSubcommandsAndGlobalFlags) {
  Outcome o = RunSluice({"--help"});
  EXPECT_EQ(o.code, 0);
  for (const char* word : {"serve", "mock", "run", "--config", "--log-format", "--log-level"}) {
    EXPECT_THAT(o.out, HasSubstr(word));
  }
  EXPECT_EQ(o.err, "");
}

TEST(CliTest, SubcommandHelpShowsItsFlags) {
  Outcome o = RunSluice({"mock", "--help"});
  EXPECT_EQ(o.code, 0);
  EXPECT_THAT(o.out, HasSubstr("--fail-503"));
  EXPECT_THAT(o.out, HasSubstr("--ttfb"));
}

TEST(CliTest, UnknownOptionIsOneLineUsageError) {
  Outcome o = RunSluice({"--frobnicate"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.err, "sluice: unknown option --frobnicate; see sluice --help\n");
  EXPECT_EQ(RunSluice({"mock", "--frobnicate"}).err,
            "sluice: unknown option --frobnicate; see sluice --help\n");
}

TEST(CliTest, MissingSubcommandIsUsageError) {
  Outcome o = RunSluice({});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.err, "sluice: a subcommand is required (serve, mock, run, batches or files); see sluice "
            "--help\n");
}

TEST(CliTest, BadFlagValuesAreOneLineUsageErrors) {
  for (std::vector<std::string> args :
       std::vector<std::vector<std::string>>{{"--log-format", "xml", "serve"},
                                             {"mock", "--ttfb", "fast"},
                                             {"mock", "--fail-500", "2"},
                                             {"mock", "--port", "70000"},
                                             {"mock", "--rpm", "-1"},
                                             {"run", "in.jsonl"}}) {
    Outcome o = RunSluice(args);
    EXPECT_EQ(o.code, 2) << args[1];
    EXPECT_THAT(o.err, StartsWith("sluice: ")) << args[1];
    EXPECT_EQ(Lines(o.err), 1) << o.err;
  }
}

TEST(CliTest, MissingPositionalKeepsItsName) {
  EXPECT_EQ(RunSluice({"run"}).err, "sluice: FILE is required; see sluice --help\n");
}

TEST(CliTest, RunOfAMissingFileFailsWithOneLine) {
  Outcome o = RunSluice({"run", "no-such-input.jsonl", "--output", "out.jsonl", "--dry-run"});
  EXPECT_EQ(o.code, 1);
  EXPECT_THAT(o.err, StartsWith("sluice run: cannot open no-such-input.jsonl"));
}

TEST(CliTest, MockRejectsFaultRatesAddingUpToMoreThanOne) {
  Outcome o = RunSluice({"mock", "--fail-500", "0.6", "--fail-503", "0.6"});
  EXPECT_EQ(o.code, 2);
  EXPECT_THAT(o.err, StartsWith("sluice mock: "));
}

TEST(CliTest, ServeWithMissingConfigFileFailsWithoutStarting) {
  Outcome o = RunSluice({"serve", "--config", "no-such-sluice-config.yaml"});
  EXPECT_EQ(o.code, 2);
  EXPECT_THAT(o.err, StartsWith("sluice: cannot open config file no-such-sluice-config.yaml"));
  EXPECT_EQ(o.out, "");
}

TEST(CliTest, ServeWithBadListenFlagIsUsageError) {
  Outcome o = RunSluice({"serve", "--listen", "nowhere"});
  EXPECT_EQ(o.code, 2);
  EXPECT_THAT(o.err, StartsWith("sluice: --listen: address must be host:port"));
}

}  // namespace
}  // namespace sluice::cli
