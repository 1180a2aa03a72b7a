// Dispatcher: the coroutine that drives one batch through the Planner — leases items from the
// store in windows, sends what the planner admits through the provider adapters, retries what
// failed for transient reasons, and commits results in groups (while one group is being written
// the next accumulates). Memory is bounded by the window, not the batch.
// Threading: Run and Stop on the io executor given to the constructor (single-threaded); store
// calls run on `store_executor` (one blocking thread) and never on the event loop.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "http/client.h"
#include "providers/provider.h"
#include "retry/retry_policy.h"
#include "scheduler/notifier.h"
#include "scheduler/planner.h"
#include "store/store.h"

namespace sluice::scheduler {

// One deployment the dispatcher may send to.
struct Target {
  std::string model;  // the model name in the requests
  std::shared_ptr<const providers::Provider> provider;
  ratelimit::LimiterOptions limits;
  Duration timeout = std::chrono::seconds(120);  // one attempt, end to end
};

struct DispatcherOptions {
  std::size_t window = 4096;  // items held in memory (leased, waiting or in flight) at most
  // Single node: leases only need to outlive the process (ExpireLeases runs at start).
  Duration lease = std::chrono::hours(24);
  retry::RetryOptions retry;
  PlannerOptions planner;
  std::uint64_t seed = 1;
};

// Counters since Run started; read on the io executor.
struct Progress {
  std::int64_t total = 0;      // items in the batch
  std::int64_t succeeded = 0;  // durable successful results (earlier runs included)
  std::int64_t failed = 0;     // durable failed results (earlier runs included)
  std::int64_t in_flight = 0;
  std::int64_t waiting_retry = 0;
  std::int64_t sent = 0;          // attempts sent upstream
  std::int64_t retries = 0;       // attempts that were retried
  std::int64_t rate_limited = 0;  // 429 answers
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::map<std::string, batch::Usage> usage_by_model;  // answers received in this run
};

class Dispatcher {
 public:
  Dispatcher(boost::asio::any_io_executor io, boost::asio::any_io_executor store_executor,
             Clock& clock, store::Store& store, http::Client& client, std::vector<Target> targets,
             DispatcherOptions options);

  // Runs `batch_id` until every item has a durable result (OK), Stop() was called and in-flight
  // requests have finished (kCancelled), or the store fails (its Status).
  boost::asio::awaitable<Status> Run(std::string batch_id);

  // Stops sending; requests in flight finish and their results are committed.
  void Stop();

  const Progress& progress() const { return progress_; }

 private:
  struct Held {
    batch::LeasedItem leased;
    int attempt = 1;
  };

  boost::asio::awaitable<void> Refill();
  boost::asio::awaitable<void> Send(Dispatch dispatch);
  boost::asio::awaitable<void> CommitLoop();
  void Finish(const Held& held, const providers::Outcome& outcome);
  void Learn(int deployment, const providers::Outcome& outcome, TimePoint now);
  bool Done() const;

  boost::asio::any_io_executor io_;
  boost::asio::any_io_executor store_executor_;
  Clock& clock_;
  store::Store& store_;
  http::Client& client_;
  std::vector<Target> targets_;
  DispatcherOptions options_;
  retry::RetryPolicy retry_policy_;
  Random random_;
  Planner planner_;
  Notifier wake_;         // the dispatch loop
  Notifier commit_wake_;  // the commit loop
  std::string batch_id_;
  std::unordered_map<std::int64_t, Held> held_;  // by item index
  std::vector<batch::ResultRecord> uncommitted_;
  bool store_drained_ = false;  // every pending item has been leased
  bool refilling_ = false;
  bool stopping_ = false;
  bool committing_ = false;       // a group is being written
  bool committing_done_ = false;  // no more results will come
  bool commit_loop_exited_ = false;
  Status failure_;
  Progress progress_;
};

}  // namespace sluice::scheduler
