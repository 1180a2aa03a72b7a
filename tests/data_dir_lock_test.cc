// One owner per data_dir, seen from the CLI: while `sluice run` or `sluice serve` holds a data
// directory, a second run or serve on it exits 1 with one line naming the directory and the
// holder's pid, and sends nothing. A LOCK file left by a process killed with SIGKILL does not
// block the next one: the kernel released its flock.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/run_fixture.h"

namespace sluice::test_support {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr int kLines = 300;
constexpr auto kTimeout = std::chrono::seconds(30);
constexpr auto kPollInterval = std::chrono::milliseconds(20);

class DataDirLockIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DeploymentOptions deployment;
    deployment.max_in_flight = 8;
    // 300 lines, 8 at a time, 50 ms each: about two seconds, long enough to collide with.
    ASSERT_TRUE(fixture_.Start({"--seed", "5", "--ttfb", "50ms"}, deployment).ok());
    input_ = fixture_.WriteInput("in.jsonl", RequestLines(kLines));
    args_ = {input_, "--output", fixture_.Path("out.jsonl")};
  }

  // "sluice: data directory <data_dir> is in use by process <pid> (LOCK)\n"
  std::string InUseLine(pid_t pid) const {
    return "sluice: data directory " + fixture_.Path("data") + " is in use by process " +
           std::to_string(pid) + " (LOCK)\n";
  }

  // Starts the run and returns once the mock has answered a request of it: by then it holds
  // the lock (taken before the store opens).
  std::unique_ptr<Process> StartRunAndWaitForAnAnswer() {
    Result<std::unique_ptr<Process>> run = fixture_.SpawnRun(args_);
    EXPECT_TRUE(run.ok()) << run.status();
    if (!run.ok()) return nullptr;
    auto deadline = std::chrono::steady_clock::now() + kRunDeadline;
    while (std::chrono::steady_clock::now() < deadline) {
      Result<int> exited = (*run)->Wait(kPollInterval);  // drains its pipes; no sleep
      EXPECT_FALSE(exited.ok()) << "the run ended too soon: " << (*run)->stderr_text();
      if (exited.ok()) return nullptr;
      if (Answered() >= 1) return std::move(run).value();
    }
    ADD_FAILURE() << "the mock never answered the first run";
    return nullptr;
  }

  std::unique_ptr<Process> StartServe() {
    auto spawned = Process::Spawn(
        SLUICE_BIN, {"--config", fixture_.config_path(), "serve", "--listen", "127.0.0.1:0"},
        MinimalEnvironment());
    EXPECT_TRUE(spawned.ok()) << spawned.status();
    if (!spawned.ok()) return nullptr;
    Result<std::string> line = (*spawned)->ReadStdoutLine(kTimeout);
    EXPECT_TRUE(line.ok()) << line.status() << "\n" << (*spawned)->stderr_text();
    EXPECT_THAT(line.value_or(""), StartsWith("listening on http://127.0.0.1:"));
    return std::move(spawned).value();
  }

  ProcessResult Serve() const {
    Result<ProcessResult> r = RunToCompletion(
        SLUICE_BIN, {"--config", fixture_.config_path(), "serve", "--listen", "127.0.0.1:0"},
        MinimalEnvironment(), kTimeout);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.value_or(ProcessResult{});
  }

  std::int64_t Answered() const {
    Result<boost::json::object> stats = fixture_.Stats();
    EXPECT_TRUE(stats.ok()) << stats.status();
    return stats.ok() ? StatCount(*stats, "answered") : -1;
  }

  std::int64_t Received() const {
    Result<boost::json::object> stats = fixture_.Stats();
    EXPECT_TRUE(stats.ok()) << stats.status();
    return stats.ok() ? StatCount(*stats, "received") : -1;
  }

  std::string LockFileText() const {
    std::ifstream in(fixture_.Path("data/LOCK"));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  RunFixture fixture_;
  std::string input_;
  std::vector<std::string> args_;
};

TEST_F(DataDirLockIntegrationTest, SecondRunOnTheSameDataDirExitsOneAndSendsNothing) {
  std::unique_ptr<Process> first = StartRunAndWaitForAnAnswer();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(LockFileText(), std::to_string(first->pid()) + "\n");

  ProcessResult second = fixture_.Run({fixture_.WriteInput("other.jsonl", RequestLines(5)),
                                       "--output", fixture_.Path("other_out.jsonl")});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_EQ(second.err, InUseLine(first->pid()));
  EXPECT_EQ(second.out, "");
  EXPECT_FALSE(std::filesystem::exists(fixture_.Path("other_out.jsonl")));

  Result<int> code = first->Wait(kRunDeadline);
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0) << first->stderr_text();
  EXPECT_EQ(Received(), kLines) << "only the first run sent requests";
}

TEST_F(DataDirLockIntegrationTest, LockIsReleasedWhenTheRunEnds) {
  ProcessResult first = fixture_.Run(args_);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ProcessResult again = fixture_.Run(args_);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("already completed"));
}

TEST_F(DataDirLockIntegrationTest, DryRunNeedsNoLock) {
  std::unique_ptr<Process> first = StartRunAndWaitForAnAnswer();
  ASSERT_NE(first, nullptr);
  ProcessResult dry = fixture_.Run({input_, "--output", fixture_.Path("dry.jsonl"), "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_THAT(dry.out, StartsWith("dry run: 300 requests, 0 invalid lines\n"));
}

TEST_F(DataDirLockIntegrationTest, RunIsRefusedWhileServeHoldsTheDataDir) {
  std::unique_ptr<Process> serve = StartServe();
  ASSERT_NE(serve, nullptr);
  ProcessResult run = fixture_.Run(args_);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err, InUseLine(serve->pid()));
  EXPECT_EQ(Received(), 0);
  ASSERT_TRUE(serve->Signal(SIGTERM).ok());
  Result<int> code = serve->Wait(kTimeout);
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0) << serve->stderr_text();
}

TEST_F(DataDirLockIntegrationTest, ServeIsRefusedWhileRunHoldsTheDataDir) {
  std::unique_ptr<Process> run = StartRunAndWaitForAnAnswer();
  ASSERT_NE(run, nullptr);
  ProcessResult serve = Serve();
  EXPECT_EQ(serve.exit_code, 1);
  EXPECT_EQ(serve.err, InUseLine(run->pid()));
  EXPECT_EQ(serve.out, "") << "nothing may listen";
  Result<int> code = run->Wait(kRunDeadline);
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0) << run->stderr_text();
}

TEST_F(DataDirLockIntegrationTest, LockLeftByAKilledRunDoesNotBlockTheNextOne) {
  std::unique_ptr<Process> killed = StartRunAndWaitForAnAnswer();
  ASSERT_NE(killed, nullptr);
  pid_t dead = killed->pid();
  ASSERT_TRUE(killed->Signal(SIGKILL).ok());
  Result<int> code = killed->Wait(kTimeout);
  ASSERT_TRUE(code.ok()) << code.status();
  ASSERT_EQ(*code, 128 + SIGKILL);
  ASSERT_EQ(LockFileText(), std::to_string(dead) + "\n") << "the stale LOCK file is still there";

  ProcessResult rerun = fixture_.Run(args_);
  EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_THAT(rerun.out, StartsWith("resumed batch_"));
  auto lines = fixture_.ReadOutput(fixture_.Path("out.jsonl"));
  ASSERT_TRUE(lines.ok()) << lines.status();
  EXPECT_TRUE(AnswersInOrder(*lines, kLines));
}

TEST_F(DataDirLockIntegrationTest, LockLeftByAKilledServeDoesNotBlockTheNextOne) {
  std::unique_ptr<Process> killed = StartServe();
  ASSERT_NE(killed, nullptr);
  ASSERT_TRUE(killed->Signal(SIGKILL).ok());
  ASSERT_TRUE(killed->Wait(kTimeout).ok());
  std::unique_ptr<Process> again = StartServe();
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(LockFileText(), std::to_string(again->pid()) + "\n");
}

}  // namespace
}  // namespace sluice::test_support
