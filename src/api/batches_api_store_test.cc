// The Batches API over a store that fails on demand (MemoryStore) and a FakeClock: what a client
// sees of a batch when the store is busy, full or broken, and when a process dies mid-finalize.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "api/batches_api.h"
#include "http/sleep.h"
#include "store/memory/memory_store.h"
#include "store/store_errors.h"

namespace sluice::api {
namespace {

// The tenant of every batch here (a named value: GCC 12 mishandles an aggregate temporary in a
// co_await expression).
const Scope kTenant{.tenant = "t", .all = false};

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using store::StoreCall;

// Answers every request at once with a chat completion.
class AnsweringClient final : public http::Client {
 public:
  asio::awaitable<Result<http::Response>> Send(http::ClientRequest) override {
    http::Response r;
    r.status = 200;
    r.body = R"({"id":"x","usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}})";
    co_return r;
  }
  asio::awaitable<Result<std::unique_ptr<http::ResponseStream>>> Open(
      http::ClientRequest) override {
    co_return UnimplementedError("no streams here");
  }
};

// Answers every request with a chat completion after `latency` on `clock`.
class SlowClient final : public http::Client {
 public:
  SlowClient(Clock& clock, Duration latency) : clock_(clock), latency_(latency) {}
  asio::awaitable<Result<http::Response>> Send(http::ClientRequest request) override {
    (void)co_await http::SleepFor(clock_, latency_);
    co_return co_await AnsweringClient().Send(std::move(request));
  }
  asio::awaitable<Result<std::unique_ptr<http::ResponseStream>>> Open(
      http::ClientRequest) override {
    co_return UnimplementedError("no streams here");
  }

 private:
  Clock& clock_;
  Duration latency_;
};

class BatchesApiStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir = fs::temp_directory_path() / "sluice-batches-XXXXXX";
    dir_ = mkdtemp(dir.data());
    fs::create_directories(dir_ + "/tmp");
    bodies_ = std::move(store::FileBodies::Open(dir_)).value();
    std::string lines;
    for (int i = 0; i < 12; ++i) {
      lines += R"({"custom_id":"r)" + std::to_string(i) +
               R"(","method":"POST","url":"/v1/chat/completions","body":{"model":"m",)"
               R"("messages":[{"role":"user","content":"hi"}]}})"
               "\n";
    }
    auto writer = std::move(bodies_->Begin("file-in")).value();
    ASSERT_TRUE(writer.Append(lines).ok());
    ASSERT_TRUE(writer.Commit().ok());
    ASSERT_TRUE(store_
                    .CreateFile({"file-in", "t", "in.jsonl", "batch",
                                 static_cast<std::int64_t>(lines.size()), WallTime{}, std::nullopt,
                                 "processed"})
                    .ok());
  }

  // One process's life: the engine and the Batches API over store_ and bodies_. Runs `work`, then
  // the event loop until `done` holds (the fake clock moving 5ms whenever the loop is idle),
  // then drains as sluice serve does.
  void Process(std::function<asio::awaitable<void>(BatchesApi&)> work,
               std::function<bool(BatchesApi&)> done, Duration latency = Duration::zero()) {
    asio::io_context io;
    asio::thread_pool store_thread(1);
    asio::thread_pool ingest_thread(1);
    SlowClient client(clock_, latency);
    auto provider = std::shared_ptr<const providers::Provider>(
        providers::MakeOpenAiProvider({"http://127.0.0.1:9/v1", "k", "m"}));
    scheduler::DispatcherOptions options;
    options.window = 8;
    scheduler::Dispatcher dispatcher(
        io.get_executor(), store_thread.get_executor(), clock_, store_, client,
        {{"m", provider, {.rpm = 600000, .tpm = 100000000, .max_in_flight = 4}}}, options);
    BatchesApiOptions api_options;
    api_options.models = {"m"};
    api_options.work_dir = dir_ + "/tmp";
    BatchesApi api(io.get_executor(), store_thread.get_executor(), ingest_thread.get_executor(),
                   clock_, store_, *bodies_, dispatcher, api_options);
    bool engine_done = false;
    auto engine = [&]() -> asio::awaitable<void> {
      (void)co_await dispatcher.Run();
      engine_done = true;
    };
    asio::co_spawn(io, engine(), asio::detached);
    asio::co_spawn(io, work(api), asio::detached);
    auto turn = [&] {
      io.restart();
      if (io.poll() == 0) {
        clock_.Advance(5ms);
        std::this_thread::yield();  // the store thread may be working
      }
    };
    TimePoint give_up = clock_.Now() + 10min;
    while (!done(api) && clock_.Now() < give_up) turn();
    EXPECT_TRUE(done(api)) << "not done after 10 minutes of fake time";
    api.Stop();
    dispatcher.Stop();
    while (!engine_done || api.active() > 0) turn();
  }

  // POST /v1/batches of file-in, with `more` (",\"key\":value...") in the body.
  static asio::awaitable<http::Response> Post(BatchesApi& api, std::string more) {
    http::Request request;
    request.method = "POST";
    request.target = "/v1/batches";
    request.headers.Set("content-type", "application/json");
    request.body =
        R"({"input_file_id":"file-in","endpoint":"/v1/chat/completions","completion_window":"24h")" +
        more + "}";
    co_return co_await api.Create(std::move(request), "t");
  }

  // Creates a batch of file-in; its id.
  static asio::awaitable<std::string> Create(BatchesApi& api, std::string more = "") {
    http::Response response = co_await Post(api, std::move(more));
    EXPECT_EQ(response.status, 200) << response.body;
    co_return std::string(boost::json::parse(response.body).at("id").as_string());
  }

  // The batch as GET /v1/batches/{id} shows it (from the store once it is no longer driven).
  boost::json::object Saved(const std::string& id) {
    auto record = store_.GetBatch(id);
    EXPECT_TRUE(record.ok()) << record.status();
    return record.ok() ? boost::json::parse(record->data).as_object() : boost::json::object();
  }

  bool Finished(const std::string& id) {
    auto record = store_.GetBatch(id);
    return record.ok() && (record->status == "completed" || record->status == "failed" ||
                           record->status == "cancelled");
  }

  std::vector<store::FileRecord> OutputFiles() {
    return store_
        .ListFiles({.tenant = "t",
                    .purpose = "batch_output",
                    .after = std::nullopt,
                    .limit = 100,
                    .order = store::SortOrder::kAscending})
        ->files;
  }

  std::size_t Bodies() {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir_ + "/files")) ++n;
    return n;
  }

  std::string dir_;
  FakeClock clock_;
  store::MemoryStore store_;
  std::unique_ptr<store::FileBodies> bodies_;
};

TEST_F(BatchesApiStoreTest, ABrokenStoreFailsTheBatchItTouchedWithAClearError) {
  store_.Inject({.error = store::IoError("commit"), .calls = {StoreCall::kAddResults}, .times = 1});
  std::string first, second;
  Process(
      [&](BatchesApi& api) -> asio::awaitable<void> {
        first = co_await Create(api);
        while (!Finished(first)) (void)co_await http::SleepFor(clock_, 1ms);
        second = co_await Create(api);  // a batch after the failure runs as any other
      },
      [&](BatchesApi&) { return !second.empty() && Finished(second); });
  boost::json::object failed = Saved(first);
  EXPECT_EQ(failed.at("status"), "failed");
  const auto& error = failed.at("errors").at("data").at(0);
  EXPECT_EQ(error.at("code"), "store_error");
  EXPECT_NE(std::string(error.at("message").as_string()).find("disk I/O error"), std::string::npos)
      << error;
  EXPECT_FALSE(failed.at("failed_at").is_null());
  boost::json::object completed = Saved(second);
  EXPECT_EQ(completed.at("status"), "completed");
  EXPECT_EQ(completed.at("request_counts").at("completed"), 12);
}

TEST_F(BatchesApiStoreTest, AFullDiskWhileFinalizingIsWaitedOut) {
  store_.Inject({.error = store::DiskFullError("write"),
                 .calls = {StoreCall::kCreateFile, StoreCall::kUpdateBatch},
                 .times = 5,
                 .after = 2});  // once the batch is in progress and finalizing
  std::string id;
  Process([&](BatchesApi& api) -> asio::awaitable<void> { id = co_await Create(api); },
          [&](BatchesApi&) { return !id.empty() && Finished(id); });
  EXPECT_EQ(store_.failed_calls(), 5);
  boost::json::object batch = Saved(id);
  EXPECT_EQ(batch.at("status"), "completed");
  ASSERT_EQ(OutputFiles().size(), 1u);
  EXPECT_EQ(batch.at("output_file_id").as_string(), OutputFiles()[0].id);
  EXPECT_EQ(Bodies(), 2u);  // file-in and the output
}

TEST_F(BatchesApiStoreTest, ACompletedBatchKeepsItsFilesAndFreesItsItems) {
  std::string id;
  Process([&](BatchesApi& api) -> asio::awaitable<void> { id = co_await Create(api); },
          [&](BatchesApi& api) { return !id.empty() && Finished(id) && api.active() == 0; });
  EXPECT_EQ(Saved(id).at("status"), "completed");
  EXPECT_EQ(store_.CountItems(id)->total, 0);  // the rows are gone, their results are in files
  ASSERT_EQ(OutputFiles().size(), 1u);
  EXPECT_EQ(Bodies(), 2u);
}

TEST_F(BatchesApiStoreTest, ItemsThatCannotBeFreedLeaveTheBatchCompleted) {
  store_.Inject(
      {.error = store::IoError("delete"), .calls = {StoreCall::kDropItems}, .times = std::nullopt});
  std::string id;
  Process([&](BatchesApi& api) -> asio::awaitable<void> { id = co_await Create(api); },
          [&](BatchesApi& api) { return !id.empty() && Finished(id) && api.active() == 0; });
  EXPECT_EQ(Saved(id).at("status"), "completed");
  EXPECT_GT(store_.CountItems(id)->total, 0);  // kept, and only a warning in the log
  EXPECT_EQ(store_.failed_calls(), 1);
}

TEST_F(BatchesApiStoreTest, AFinalizeRepeatedAfterACrashLeavesNoOrphanFile) {
  // The first process records the output file, then cannot save the batch as completed (the
  // third save of the batch): it stands as finalizing, as after a crash between the two.
  store_.Inject({.error = store::IoError("update"),
                 .calls = {StoreCall::kUpdateBatch},
                 .times = std::nullopt,
                 .after = 2});
  std::string id;
  Process([&](BatchesApi& api) -> asio::awaitable<void> { id = co_await Create(api); },
          [&](BatchesApi& api) { return !id.empty() && api.active() == 0; });
  ASSERT_EQ(store_.GetBatch(id)->status, "finalizing");
  ASSERT_EQ(OutputFiles().size(), 1u);
  store_.Heal();

  Process([&](BatchesApi& api) -> asio::awaitable<void> { (void)co_await api.Resume(); },
          [&](BatchesApi&) { return Finished(id); });
  boost::json::object batch = Saved(id);
  EXPECT_EQ(batch.at("status"), "completed");
  ASSERT_EQ(OutputFiles().size(), 1u);  // the same file, not a second one
  EXPECT_EQ(batch.at("output_file_id").as_string(), OutputFiles()[0].id);
  EXPECT_EQ(Bodies(), 2u);
  EXPECT_TRUE(fs::is_empty(dir_ + "/tmp"));
}

TEST_F(BatchesApiStoreTest, RequestCountsNeverGoBackWhileACancelledBatchIsClosed) {
  // Closing the cancelled batch's open items finds the store busy three times: the batch stays
  // cancelling, after the dispatcher has let it go, for a while of polling.
  store_.Inject({.error = store::BusyError("locked"),
                 .calls = {StoreCall::kExpireLeases},
                 .times = 3,
                 .after = 1});  // the first is the batch's start
  std::string id;
  std::int64_t seen = 0;
  bool went_back = false;
  auto completed = [&](BatchesApi& api) -> asio::awaitable<std::int64_t> {
    http::Response got = co_await api.Get(id, kTenant);
    co_return boost::json::parse(got.body).at("request_counts").at("completed").as_int64();
  };
  Process(
      [&](BatchesApi& api) -> asio::awaitable<void> {
        id = co_await Create(api);
        while (seen == 0) {
          (void)co_await http::SleepFor(clock_, 1ms);
          seen = co_await completed(api);
        }
        http::Response cancelled = co_await api.Cancel(id, kTenant);
        EXPECT_EQ(cancelled.status, 200) << cancelled.body;
        while (api.active() > 0) {
          (void)co_await http::SleepFor(clock_, 10ms);
          if (api.active() == 0) break;
          std::int64_t now = co_await completed(api);
          went_back = went_back || now < seen;
          seen = std::max(seen, now);
        }
      },
      [&](BatchesApi& api) { return !id.empty() && Finished(id) && api.active() == 0; }, 100ms);
  EXPECT_FALSE(went_back) << "a client saw request_counts.completed go back";
  EXPECT_EQ(store_.failed_calls(), 3);
  boost::json::object batch = Saved(id);
  EXPECT_EQ(batch.at("status"), "cancelled");
  EXPECT_GE(batch.at("request_counts").at("completed").as_int64(), seen);
}

TEST_F(BatchesApiStoreTest, OutputFilesExpireAsOutputExpiresAfterSaysCountedFromTheirCreation) {
  std::string id;
  boost::json::value shown;
  Process(
      [&](BatchesApi& api) -> asio::awaitable<void> {
        id = co_await Create(api, R"(,"output_expires_after":{"anchor":"created_at",)"
                                  R"("seconds":7200})");
        while (!Finished(id)) (void)co_await http::SleepFor(clock_, 1ms);
        shown = boost::json::parse((co_await api.Get(id, kTenant)).body);
      },
      [&](BatchesApi&) { return !shown.is_null(); });
  ASSERT_EQ(OutputFiles().size(), 1u);
  const store::FileRecord output = OutputFiles()[0];  // a copy: OutputFiles() is a temporary
  ASSERT_TRUE(output.expires_at.has_value());
  EXPECT_EQ(*output.expires_at - output.created_at, 7200s);
  EXPECT_GT(output.created_at, WallTime(std::chrono::seconds(1767225600)));  // not the batch's
  EXPECT_EQ(shown.at("status"), "completed");
  EXPECT_FALSE(shown.as_object().contains("output_expires_after"));  // not in OpenAI's object
}

TEST_F(BatchesApiStoreTest, WithoutOutputExpiresAfterOutputFilesKeepTheDefault) {
  std::string id;
  Process([&](BatchesApi& api) -> asio::awaitable<void> { id = co_await Create(api); },
          [&](BatchesApi& api) { return !id.empty() && Finished(id) && api.active() == 0; });
  ASSERT_EQ(OutputFiles().size(), 1u);
  const store::FileRecord output = OutputFiles()[0];
  ASSERT_TRUE(output.expires_at.has_value());
  EXPECT_EQ(*output.expires_at - output.created_at, std::chrono::hours(24 * 30));
}

TEST_F(BatchesApiStoreTest, AWrongOutputExpiresAfterIsA400NamingIt) {
  struct Case {
    std::string more;
    std::string param;
    std::string code;
  };
  std::vector<Case> cases = {
      {R"(,"output_expires_after":{"anchor":"created_at","seconds":60})",
       "output_expires_after.seconds", "integer_below_min_value"},
      {R"(,"output_expires_after":{"anchor":"created_at","seconds":2592001})",
       "output_expires_after.seconds", "integer_above_max_value"},
      {R"(,"output_expires_after":{"anchor":"created_at","seconds":"3600"})",
       "output_expires_after.seconds", "invalid_type"},
      {R"(,"output_expires_after":{"anchor":"created_at"})", "output_expires_after.seconds",
       "missing_required_parameter"},
      {R"(,"output_expires_after":{"anchor":"completed_at","seconds":3600})",
       "output_expires_after.anchor", "invalid_value"},
      {R"(,"output_expires_after":{"seconds":3600})", "output_expires_after.anchor",
       "missing_required_parameter"},
      {R"(,"output_expires_after":3600)", "output_expires_after", "invalid_type"},
  };
  bool answered = false;
  Process(
      [&](BatchesApi& api) -> asio::awaitable<void> {
        for (const Case& c : cases) {
          http::Response response = co_await Post(api, c.more);
          EXPECT_EQ(response.status, 400) << c.more;
          auto error = boost::json::parse(response.body).at("error");
          EXPECT_EQ(error.at("param"), boost::json::value(c.param)) << c.more;
          EXPECT_EQ(error.at("code"), boost::json::value(c.code)) << c.more;
        }
        answered = true;
      },
      [&](BatchesApi&) { return answered; });
  EXPECT_TRUE(store_.ListBatches("t", std::nullopt, 10)->empty());  // nothing was created
}

}  // namespace
}  // namespace sluice::api
