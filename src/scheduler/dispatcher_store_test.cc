// The dispatcher against a failing store: a MemoryStore failing on demand and a FakeClock, so the
// store's backoff passes without waiting. Run under ASan too: a failed batch is freed while
// requests sent for it are still in flight. Also several batches at once over that store: their
// turns and the window they share.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <functional>
#include <map>
#include <thread>

#include "http/sleep.h"
#include "scheduler/dispatcher.h"
#include "store/memory/memory_store.h"
#include "store/store_errors.h"

namespace sluice::scheduler {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using store::Fault;
using store::StoreCall;

// Answers 200 to everything after `latency` of the fake clock, counting attempts per body.
class LatentClient final : public http::Client {
 public:
  LatentClient(FakeClock& clock, Duration latency) : clock_(clock), latency_(latency) {}

  asio::awaitable<Result<http::Response>> Send(http::ClientRequest request) override {
    ++attempts_[request.body];
    sent_.push_back(request.body);
    if (latency_ > Duration::zero()) (void)co_await http::SleepFor(clock_, latency_);
    http::Response r;
    r.status = 200;
    r.body = R"({"id":"x","usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}})";
    co_return r;
  }
  asio::awaitable<Result<std::unique_ptr<http::ResponseStream>>> Open(
      http::ClientRequest) override {
    co_return UnimplementedError("no streams here");
  }
  std::map<std::string, int> attempts_;
  std::vector<std::string> sent_;  // every body, in the order sent

 private:
  FakeClock& clock_;
  Duration latency_;
};

class DispatcherStoreTest : public ::testing::Test {
 protected:
  void AddBatch(const std::string& id, int items) {
    ASSERT_TRUE(store_.CreateBatch({id, "f-" + id, "in_progress", WallTime{}, "{}", ""}).ok());
    std::vector<batch::NewItem> batch;
    for (int i = 0; i < items; ++i) {
      batch.push_back({i, "c" + std::to_string(i), "m", "/v1/chat/completions",
                       R"({"model":"m","batch":")" + id + R"(","n":)" + std::to_string(i) + "}",
                       20});
    }
    ASSERT_TRUE(store_.AddItems(id, batch).ok());
  }

  // Runs the engine and `work` (then Stop) to the end. Between turns of the event loop `between`
  // may look at the dispatcher; when the loop has nothing to do, the fake clock moves 1ms.
  Status Engine(http::Client& client, std::function<asio::awaitable<void>(Dispatcher&)> work,
                std::function<void(Dispatcher&)> between = nullptr) {
    asio::io_context io;
    asio::thread_pool store_thread(1);
    DispatcherOptions options;
    options.window = 16;
    options.max_batches = max_batches_;
    options.store_retry.base_delay = 50ms;
    options.store_retry.max_delay = 1s;
    auto provider = std::shared_ptr<const providers::Provider>(
        providers::MakeOpenAiProvider({"http://127.0.0.1:9/v1", "k", "m"}));
    Dispatcher dispatcher(io.get_executor(), store_thread.get_executor(), clock_, store_, client,
                          {{"m", provider, {.rpm = 600000, .tpm = 100000000, .max_in_flight = 4}}},
                          options);
    auto engine = asio::co_spawn(io, dispatcher.Run(), asio::use_future);
    auto driver = [&]() -> asio::awaitable<void> {
      co_await work(dispatcher);
      dispatcher.Stop();
    };
    asio::co_spawn(io, driver(), asio::detached);
    while (engine.wait_for(0s) != std::future_status::ready) {
      io.restart();
      std::size_t ran = io.poll();
      if (between) between(dispatcher);
      if (ran == 0) {
        clock_.Advance(1ms);
        std::this_thread::yield();  // the store thread may be working
      }
    }
    trouble_after_ = dispatcher.StoreTrouble();
    return engine.get();
  }

  // Work that runs one batch and keeps its outcome.
  static std::function<asio::awaitable<void>(Dispatcher&)> RunOne(std::string id, Status& outcome) {
    return [id, &outcome](Dispatcher& d) -> asio::awaitable<void> {
      BatchSpec spec{id, "t", Priority::kNormal};
      outcome = co_await d.RunBatch(std::move(spec));
    };
  }

  FakeClock clock_;
  store::MemoryStore store_;
  std::size_t max_batches_ = 8;
  std::optional<std::string> trouble_after_;
};

// The batch a body sent by LatentClient belongs to ("batch":"<id>").
std::string BatchOf(const std::string& body) {
  std::size_t at = body.find(R"("batch":")") + 9;
  return body.substr(at, body.find('"', at) - at);
}

TEST_F(DispatcherStoreTest, BatchesBeyondTheCapWaitTheirTurnHighestPriorityFirst) {
  max_batches_ = 1;
  for (const char* id : {"a", "b", "c"}) AddBatch(id, 10);
  LatentClient client(clock_, 1ms);
  std::map<std::string, Status> outcomes;
  auto work = [&](Dispatcher& d) -> asio::awaitable<void> {
    using namespace boost::asio::experimental::awaitable_operators;
    auto run = [&](std::string id, Priority priority) -> asio::awaitable<void> {
      BatchSpec spec{id, "t", priority};
      outcomes[id] = co_await d.RunBatch(std::move(spec));
    };
    co_await (run("a", Priority::kNormal) && run("b", Priority::kLow) &&
              run("c", Priority::kHigh));
  };
  Status engine = Engine(client, work);
  EXPECT_TRUE(engine.ok()) << engine;
  for (const char* id : {"a", "b", "c"}) {
    EXPECT_TRUE(outcomes[id].ok()) << id << ": " << outcomes[id];
    EXPECT_EQ(store_.CountItems(id)->succeeded, 10) << id;
  }
  // One batch at a time: a (first come) whole, then c (high) whole, then b (low).
  std::string order;
  for (const std::string& body : client.sent_) {
    std::string id = BatchOf(body);
    if (order.empty() || order.back() != id[0]) order += id;
  }
  EXPECT_EQ(order, "acb");
}

TEST_F(DispatcherStoreTest, BatchesRunningAtOnceShareOneWindow) {
  for (const char* id : {"a", "b", "c"}) AddBatch(id, 40);
  LatentClient client(clock_, 3ms);
  std::int64_t most_held = 0;
  std::map<std::string, Status> outcomes;
  auto work = [&](Dispatcher& d) -> asio::awaitable<void> {
    using namespace boost::asio::experimental::awaitable_operators;
    auto run = [&](std::string id) -> asio::awaitable<void> {
      BatchSpec spec{id, "t", Priority::kNormal};
      outcomes[id] = co_await d.RunBatch(std::move(spec));
    };
    co_await (run("a") && run("b") && run("c"));
  };
  // An item stays leased in the store until its result is durable: leased is what is held.
  Status engine = Engine(client, work, [&](Dispatcher&) {
    std::int64_t held = 0;
    for (const char* id : {"a", "b", "c"}) held += store_.CountItems(id)->leased;
    most_held = std::max(most_held, held);
  });
  EXPECT_TRUE(engine.ok()) << engine;
  for (const char* id : {"a", "b", "c"}) {
    EXPECT_TRUE(outcomes[id].ok()) << id << ": " << outcomes[id];
    EXPECT_EQ(store_.CountItems(id)->succeeded, 40) << id;
  }
  EXPECT_LE(most_held, 16);  // the window, not 3 × 16
  EXPECT_GT(most_held, 5);   // and the three batches did run side by side
}

TEST_F(DispatcherStoreTest, AFullDiskIsRetriedUntilFreedAndNothingIsSentTwice) {
  AddBatch("b", 40);
  LatentClient client(clock_, 2ms);
  bool full = false;
  std::optional<std::string> seen;
  Status outcome = InternalError("not run");
  Status engine = Engine(client, RunOne("b", outcome), [&](Dispatcher& d) {
    if (!full && d.progress().sent >= 5) {  // the disk fills up while the batch runs
      full = true;
      store_.Inject({.error = store::DiskFullError("commit"),
                     .calls = store::WriteCalls(),
                     .times = std::nullopt});
    }
    if (!seen && d.StoreTrouble()) seen = d.StoreTrouble();
    if (seen && store_.failed_calls() == 4) store_.Heal();  // then space is freed
  });
  EXPECT_TRUE(engine.ok()) << engine;
  EXPECT_TRUE(outcome.ok()) << outcome;
  ASSERT_TRUE(seen.has_value());
  EXPECT_NE(seen->find("sluice cannot write its store: disk full"), std::string::npos) << *seen;
  EXPECT_NE(seen->find("retrying"), std::string::npos) << *seen;
  EXPECT_FALSE(trouble_after_.has_value());  // healed: the engine writes again
  EXPECT_EQ(store_.failed_calls(), 4);       // tried again until healed, not given up
  EXPECT_EQ(store_.CountItems("b")->succeeded, 40);
  EXPECT_EQ(client.attempts_.size(), 40u);
  for (const auto& [body, attempts] : client.attempts_) EXPECT_EQ(attempts, 1) << body;
}

TEST_F(DispatcherStoreTest, ABusyStoreWhileResultsAreSavedLosesNoAnswer) {
  AddBatch("b", 60);
  LatentClient client(clock_, 2ms);
  store_.Inject({.error = store::BusyError("commit"),
                 .calls = {StoreCall::kAddResults, StoreCall::kLeaseItems},
                 .times = 7});
  Status outcome = InternalError("not run");
  EXPECT_TRUE(Engine(client, RunOne("b", outcome)).ok());
  EXPECT_TRUE(outcome.ok()) << outcome;
  EXPECT_EQ(store_.failed_calls(), 7);
  EXPECT_EQ(store_.CountItems("b")->succeeded, 60);
  for (const auto& [body, attempts] : client.attempts_) EXPECT_EQ(attempts, 1) << body;
}

TEST_F(DispatcherStoreTest, APermanentFailureFailsOnlyTheBatchItTouches) {
  AddBatch("b1", 30);
  AddBatch("b2", 30);
  LatentClient client(clock_, 1ms);
  store_.Inject({.error = store::IoError("commit"), .calls = {StoreCall::kAddResults}, .times = 1});
  Status first = InternalError("not run"), second = InternalError("not run");
  Status later = InternalError("not run");
  Status engine = Engine(client, [&](Dispatcher& d) -> asio::awaitable<void> {
    auto other = [&]() -> asio::awaitable<void> {
      BatchSpec spec{"b2", "u", Priority::kNormal};
      second = co_await d.RunBatch(std::move(spec));
    };
    asio::co_spawn(co_await asio::this_coro::executor, other(), asio::detached);
    BatchSpec spec{"b1", "t", Priority::kNormal};
    first = co_await d.RunBatch(std::move(spec));
    while (d.Counts("b2")) (void)co_await http::SleepFor(clock_, 1ms);
    AddBatch("b3", 10);  // a batch started after the failure runs as any other
    BatchSpec third{"b3", "t", Priority::kNormal};
    later = co_await d.RunBatch(std::move(third));
  });
  EXPECT_TRUE(engine.ok()) << engine;
  // Exactly one of the two had its results refused, with the store's error.
  const Status& failed = first.ok() ? second : first;
  const Status& fine = first.ok() ? first : second;
  EXPECT_TRUE(fine.ok()) << fine;
  EXPECT_EQ(failed.code(), StatusCode::kInternal) << failed;
  EXPECT_NE(failed.message().find("disk I/O error"), std::string::npos) << failed;
  EXPECT_TRUE(later.ok()) << later;
  EXPECT_EQ(store_.CountItems("b3")->succeeded, 10);
}

TEST_F(DispatcherStoreTest, AFailedBatchIsFreedSafelyWithRequestsStillInFlight) {
  AddBatch("b", 200);
  // Long answers: when the first commit fails, the next requests are in flight.
  LatentClient client(clock_, 50ms);
  int commits = 0;
  Status outcome = InternalError("not run");
  Status engine = Engine(client, RunOne("b", outcome), [&](Dispatcher& d) {
    if (commits == 0 && d.progress().in_flight > 0 && d.progress().sent > 4) {
      ++commits;
      store_.Inject({.error = store::CorruptError("commit"),
                     .calls = {StoreCall::kAddResults, StoreCall::kLeaseItems},
                     .times = std::nullopt});
    }
  });
  EXPECT_TRUE(engine.ok()) << engine;
  EXPECT_EQ(outcome.code(), StatusCode::kDataLoss) << outcome;
  EXPECT_LT(store_.CountItems("b")->succeeded, 200);
}

TEST_F(DispatcherStoreTest, ACancelWhileTheBatchIsStartingIsKept) {
  AddBatch("b", 20);
  LatentClient client(clock_, 0ms);
  // Starting takes a while: its first store call meets a busy store.
  store_.Inject(
      {.error = store::BusyError("expire"), .calls = {StoreCall::kExpireLeases}, .times = 3});
  Status outcome = InternalError("not run");
  Status engine = Engine(client, [&](Dispatcher& d) -> asio::awaitable<void> {
    // Starts once RunBatch below has begun and waits on the store.
    auto cancel = [&]() -> asio::awaitable<void> {
      co_await asio::post(asio::use_awaitable);
      d.CancelBatch("b");
    };
    asio::co_spawn(co_await asio::this_coro::executor, cancel(), asio::detached);
    BatchSpec spec{"b", "t", Priority::kNormal};
    outcome = co_await d.RunBatch(std::move(spec));
  });
  EXPECT_TRUE(engine.ok()) << engine;
  EXPECT_EQ(outcome.code(), StatusCode::kCancelled) << outcome;
  EXPECT_TRUE(client.attempts_.empty());
  EXPECT_EQ(store_.CountItems("b")->pending, 20);
}

}  // namespace
}  // namespace sluice::scheduler
