#include "scheduler/dispatcher.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <filesystem>
#include <functional>
#include <map>

#include "store/sqlite/sqlite_store.h"

namespace sluice::scheduler {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Answers from a script: (custom id in the body, attempt number) -> response or failure.
class ScriptedClient final : public http::Client {
 public:
  using Script = std::function<Result<http::Response>(const std::string& body, int attempt)>;
  explicit ScriptedClient(Script script) : script_(std::move(script)) {}

  asio::awaitable<Result<http::Response>> Send(http::ClientRequest request) override {
    int attempt = ++attempts_[request.body];
    co_return script_(request.body, attempt);
  }
  asio::awaitable<Result<std::unique_ptr<http::ResponseStream>>> Open(
      http::ClientRequest) override {
    co_return UnimplementedError("no streams here");
  }
  std::map<std::string, int> attempts_;

 private:
  Script script_;
};

http::Response Ok() {
  http::Response r;
  r.status = 200;
  r.body = R"({"id":"x","usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}})";
  return r;
}

http::Response Answer(int code) {
  http::Response r;
  r.status = code;
  r.body = R"({"error":{"message":"no","type":"x","param":null,"code":null}})";
  r.headers.Set("retry-after-ms", "1");
  return r;
}

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir = std::filesystem::temp_directory_path() / "sluice-dispatch-XXXXXX";
    path_ = std::string(mkdtemp(dir.data())) + "/store.db";
    store_ = std::move(store::sqlite::SqliteStore::Open(path_)).value();
    ASSERT_TRUE(store_->CreateBatch({"b", "f", "in_progress", WallTime{}, "{}", ""}).ok());
    std::vector<batch::NewItem> items;
    for (int i = 0; i < kItems; ++i) {
      items.push_back({i, "c" + std::to_string(i), "m", "/v1/chat/completions",
                       R"({"model":"m","custom":)" + std::to_string(i) + "}", 20});
    }
    ASSERT_TRUE(store_->AddItems("b", items).ok());
  }

  Status RunBatch(ScriptedClient& client, std::function<void(Dispatcher&)> during = nullptr) {
    asio::io_context io;
    asio::thread_pool store_thread(1);
    DispatcherOptions options;
    options.window = 64;
    options.retry.base_delay = 1ms;
    options.retry.max_delay = 2ms;
    options.retry.max_attempts = 3;
    auto provider = std::shared_ptr<const providers::Provider>(
        providers::MakeOpenAiProvider({"http://127.0.0.1:9/v1", "k", "m"}));
    // These tests are about retries, some of which fail every first attempt: a breaker (tested
    // in planner_routing_test.cc) would hold them back for its cooldown.
    DeploymentRouting no_breaker{.breaker = {.consecutive_failures = 1'000'000,
                                             .min_requests = 1'000'000}};
    Target target{"m", provider, {.rpm = 100000, .tpm = 10000000, .max_in_flight = 8},
                  std::chrono::seconds(120), no_breaker};
    Dispatcher dispatcher(io.get_executor(), store_thread.get_executor(), SystemClock::Instance(),
                          *store_, client, {target}, options);
    auto done = asio::co_spawn(io, dispatcher.RunOnly("b"), asio::use_future);
    if (during) during(dispatcher);
    io.run();
    progress_ = dispatcher.progress();
    return done.get();
  }

  static constexpr int kItems = 300;
  std::string path_;
  std::unique_ptr<store::Store> store_;
  Progress progress_;
};

TEST_F(DispatcherTest, EveryItemGetsExactlyOneDurableResult) {
  ScriptedClient client([](const std::string&, int) { return Result<http::Response>(Ok()); });
  ASSERT_TRUE(RunBatch(client).ok());
  auto counts = *store_->CountItems("b");
  EXPECT_EQ(counts.succeeded, kItems);
  EXPECT_EQ(counts.pending + counts.leased, 0);
  EXPECT_EQ(progress_.succeeded, kItems);
  EXPECT_EQ(progress_.prompt_tokens, 5 * kItems);
  EXPECT_EQ(client.attempts_.size(), static_cast<std::size_t>(kItems));
  auto results = *store_->ReadResults("b", -1, 1000);
  ASSERT_EQ(results.size(), static_cast<std::size_t>(kItems));
  for (int i = 0; i < kItems; ++i) EXPECT_EQ(results[i].custom_id, "c" + std::to_string(i));
}

TEST_F(DispatcherTest, TransientFailuresAreRetriedAndFinalOnesRecorded) {
  ScriptedClient client([](const std::string& body, int attempt) -> Result<http::Response> {
    if (body.find("\"custom\":7}") != std::string::npos) return Answer(400);
    if (body.find("\"custom\":8}") != std::string::npos) return Answer(503);  // every time
    if (attempt == 1) return UnavailableError("connection reset");
    if (attempt == 2) return Answer(429);
    return Ok();
  });
  ASSERT_TRUE(RunBatch(client).ok());
  auto counts = *store_->CountItems("b");
  EXPECT_EQ(counts.succeeded, kItems - 2);
  EXPECT_EQ(counts.failed, 2);
  auto results = *store_->ReadResults("b", 6, 2);
  EXPECT_EQ(results[0].status_code, 400);
  EXPECT_EQ(results[1].status_code, 503);  // attempts exhausted: the last answer is kept
  EXPECT_GT(progress_.rate_limited, 0);
  EXPECT_GT(progress_.retries, 0);
}

TEST_F(DispatcherTest, StopKeepsWhatFinishedAndARerunSendsOnlyTheRest) {
  Dispatcher* running = nullptr;
  int sent = 0;
  ScriptedClient client([&](const std::string&, int) {
    if (++sent == 50 && running != nullptr) running->Stop();
    return Result<http::Response>(Ok());
  });
  Status first = RunBatch(client, [&](Dispatcher& d) { running = &d; });
  EXPECT_EQ(first.code(), StatusCode::kCancelled);
  auto after_stop = *store_->CountItems("b");
  EXPECT_GE(after_stop.succeeded, 50);  // what was in flight finished and was kept
  EXPECT_LT(after_stop.succeeded, kItems);
  running = nullptr;
  ASSERT_TRUE(RunBatch(client).ok());
  EXPECT_EQ(store_->CountItems("b")->succeeded, kItems);
  for (const auto& [body, attempts] : client.attempts_) EXPECT_EQ(attempts, 1) << body;
}

// The engine with several users at once: Run, plus whatever `work` starts.
class DispatcherEngineTest : public DispatcherTest {
 protected:
  void Engine(ScriptedClient& client, ratelimit::LimiterOptions limits,
              std::function<asio::awaitable<void>(Dispatcher&)> work) {
    asio::io_context io;
    asio::thread_pool store_thread(1);
    DispatcherOptions options;
    options.window = 64;
    auto provider = std::shared_ptr<const providers::Provider>(
        providers::MakeOpenAiProvider({"http://127.0.0.1:9/v1", "k", "m"}));
    Dispatcher dispatcher(io.get_executor(), store_thread.get_executor(), SystemClock::Instance(),
                          *store_, client, {{"m", provider, limits}}, options);
    auto engine = asio::co_spawn(io, dispatcher.Run(), asio::use_future);
    auto driver = [&]() -> asio::awaitable<void> {
      co_await work(dispatcher);
      dispatcher.Stop();
    };
    asio::co_spawn(io, driver(), asio::detached);
    io.run();
    EXPECT_TRUE(engine.get().ok());
  }
};

TEST_F(DispatcherEngineTest, CancelledBatchKeepsWhatFinishedAndSendsNothingMore) {
  Dispatcher* running = nullptr;
  int sent = 0;
  ScriptedClient client([&](const std::string&, int) {
    if (++sent == 50) running->CancelBatch("b");
    return Result<http::Response>(Ok());
  });
  Status outcome;
  Engine(client, {.rpm = 100000, .tpm = 10000000, .max_in_flight = 8},
         [&](Dispatcher& d) -> asio::awaitable<void> {
           running = &d;
           BatchSpec spec{"b", "t", Priority::kNormal};
           outcome = co_await d.RunBatch(std::move(spec));
         });
  EXPECT_EQ(outcome.code(), StatusCode::kCancelled);
  auto counts = *store_->CountItems("b");
  EXPECT_EQ(counts.succeeded, sent);  // every answer that came back was saved
  EXPECT_GE(sent, 50);
  EXPECT_LE(sent, 50 + 8);  // at most what was in flight at the cancel
}

TEST_F(DispatcherEngineTest, TwoBatchesRunTogether) {
  ASSERT_TRUE(store_->CreateBatch({"b2", "f2", "in_progress", WallTime{}, "{}", ""}).ok());
  std::vector<batch::NewItem> items;
  for (int i = 0; i < 20; ++i) {
    items.push_back({i, "d" + std::to_string(i), "m", "/v1/chat/completions",
                     R"({"model":"m","other":)" + std::to_string(i) + "}", 20});
  }
  ASSERT_TRUE(store_->AddItems("b2", items).ok());
  ScriptedClient client([](const std::string&, int) { return Result<http::Response>(Ok()); });
  Status first, second;
  Engine(client, {.rpm = 100000, .tpm = 10000000, .max_in_flight = 8},
         [&](Dispatcher& d) -> asio::awaitable<void> {
           auto other = [&]() -> asio::awaitable<void> {
             BatchSpec spec{"b2", "u", Priority::kLow};
             second = co_await d.RunBatch(std::move(spec));
           };
           asio::co_spawn(co_await asio::this_coro::executor, other(), asio::detached);
           BatchSpec spec{"b", "t", Priority::kHigh};
           first = co_await d.RunBatch(std::move(spec));
           while (d.Counts("b2")) co_await asio::post(asio::use_awaitable);
         });
  EXPECT_TRUE(first.ok()) << first;
  EXPECT_TRUE(second.ok()) << second;
  EXPECT_EQ(store_->CountItems("b")->succeeded, kItems);
  EXPECT_EQ(store_->CountItems("b2")->succeeded, 20);
}

TEST_F(DispatcherEngineTest, InteractiveRequestWaitsABoundedTimeForCapacity) {
  ScriptedClient client([](const std::string&, int) { return Result<http::Response>(Ok()); });
  Result<Admission> first, second, unknown;
  Duration retry_after{};
  Engine(client, {.rpm = 1, .tpm = 10000000, .max_in_flight = 8},
         [&](Dispatcher& d) -> asio::awaitable<void> {
           std::string m = "m", other = "other", t = "t";
           first = co_await d.Admit(m, t, 10, 1ms);
           second = co_await d.Admit(m, t, 10, 1ms);  // the one request a minute is spent
           retry_after = d.RetryAfter(m, t, 10);
           unknown = co_await d.Admit(other, t, 10, 1ms);
           if (first.ok()) d.Complete(*first, providers::Outcome{});
         });
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->model, "m");
  EXPECT_EQ(second.status().code(), StatusCode::kResourceExhausted);
  EXPECT_GT(retry_after, 30s);
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace sluice::scheduler
