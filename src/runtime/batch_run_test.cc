// `sluice run`'s engine on a store that fails on demand: the store calls it makes outside the
// dispatcher (finding, creating and saving the batch, ingesting, reading the results back) wait
// out transient failures, and a permanent one ends the run without losing what was accepted.
// Upstream is the mock provider on 127.0.0.1:0; the backoffs are counted, never slept.
#include "runtime/batch_run.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <thread>

#include "mock/mock_provider.h"
#include "store/memory/memory_store.h"
#include "store/store_errors.h"

namespace sluice::runtime {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using store::Fault;
using store::StoreCall;

constexpr int kLines = 12;

class BatchRunStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sluice-run-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    auto started = mock::MockProvider::Start(mock_io_, {}, SystemClock::Instance());
    ASSERT_TRUE(started.ok()) << started.status();
    mock_ = std::move(*started);
    thread_ = std::thread([this] { mock_io_.run(); });

    std::ofstream input(root_ + "/input.jsonl");
    for (int i = 0; i < kLines; ++i) {
      input << R"({"custom_id":"r)" << i
            << R"(","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini",)"
            << R"("messages":[{"role":"user","content":"hello )" << i << R"("}]}})"
            << "\n";
    }
    request_.input_path = root_ + "/input.jsonl";
    request_.output_path = root_ + "/output.jsonl";
    request_.progress_interval = std::chrono::hours(1);

    config::DeploymentConfig deployment;
    deployment.provider = config::ProviderKind::kOpenAiCompatible;
    deployment.base_url = "http://127.0.0.1:" + std::to_string(mock_->port()) + "/v1";
    deployment.rpm = 100000;
    deployment.tpm = 100000000;
    config_.models.push_back({"gpt-4o-mini", {deployment}, std::nullopt, {}, {}});
    config_.store.data_dir = root_ + "/data";
    retry_.wait = [this](Duration wait) { waits_.push_back(wait); };
  }

  void TearDown() override {
    std::promise<void> drained;
    mock_->Drain([&drained] { drained.set_value(); });
    drained.get_future().wait();
    mock_.reset();
    work_.reset();
    thread_.join();
    fs::remove_all(root_);
  }

  Result<RunReport> Run() { return RunBatchFile(config_, request_, store_, retry_, nullptr); }

  int OutputLines() const {
    std::ifstream output(request_.output_path);
    int lines = 0;
    for (std::string line; std::getline(output, line);) ++lines;
    return lines;
  }

  std::uint64_t Received() const { return mock_->Stats().received; }

  std::string root_;
  asio::io_context mock_io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ =
      asio::make_work_guard(mock_io_);
  std::unique_ptr<mock::MockProvider> mock_;
  std::thread thread_;
  config::Config config_ = config::DefaultConfig();
  RunRequest request_;
  store::MemoryStore store_;
  TransientRetry retry_;
  std::vector<Duration> waits_;
};

TEST_F(BatchRunStoreTest, TransientFailuresOutsideDispatchAreWaitedOut) {
  for (StoreCall call : {StoreCall::kFindBatchByFingerprint, StoreCall::kCreateBatch,
                         StoreCall::kUpdateBatch, StoreCall::kReadResults}) {
    store_.Inject({.error = store::BusyError("database is locked"), .calls = {call}, .times = 2});
  }
  store_.Inject({.error = store::DiskFullError("database or disk is full"),
                 .calls = {StoreCall::kAddItems},
                 .times = 3});

  Result<RunReport> report = Run();

  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->outcome, RunOutcome::kCompleted);
  EXPECT_EQ(report->progress.succeeded, kLines);
  EXPECT_EQ(OutputLines(), kLines);
  EXPECT_EQ(Received(), static_cast<std::uint64_t>(kLines)) << "each line sent once";
  EXPECT_EQ(waits_.size(), 11u) << "one backoff per failed call";
  EXPECT_EQ(store_.failed_calls(), 11);
  for (Duration wait : waits_) EXPECT_LE(wait, retry::kStoreRetry.max_delay);
}

TEST_F(BatchRunStoreTest, PermanentFailureEndsTheRunAndARerunFinishesWithoutResending) {
  store_.Inject(
      {.error = store::IoError("disk I/O error"), .calls = {StoreCall::kReadResults}, .times = 1});

  Result<RunReport> failed = Run();

  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("disk I/O error"), std::string::npos) << failed.status();
  EXPECT_TRUE(waits_.empty()) << "a permanent failure is not retried";
  EXPECT_EQ(Received(), static_cast<std::uint64_t>(kLines));

  Result<RunReport> rerun = Run();

  ASSERT_TRUE(rerun.ok()) << rerun.status();
  EXPECT_EQ(rerun->outcome, RunOutcome::kCompleted);
  EXPECT_TRUE(rerun->resumed);
  EXPECT_EQ(OutputLines(), kLines);
  EXPECT_EQ(Received(), static_cast<std::uint64_t>(kLines)) << "results already saved are kept";
}

}  // namespace
}  // namespace sluice::runtime
