// Dispatcher: the engine that drives batches and interactive requests through one Planner. For
// every batch it works on it leases items from the store in windows, sends what the planner
// admits through the provider adapters, retries what failed for transient reasons, and commits
// results in groups (while one group is being written the next accumulates). Interactive
// (proxy) requests ask for an admission, wait a bounded time in the planner's first lane, and
// send themselves. Memory is bounded by the windows, not by the batches. Each attempt of a batch
// item carries its output line's id (x-client-request-id) and a traceparent of the line's own
// trace, and is logged (debug) under that id.
// Budgets: a batch's cost cap and its gateway key's daily and monthly caps. An item is sent only
// if what it may cost at most (cost::ReservationOf its estimate) fits under every cap that
// applies, counting what was spent and what the requests in flight may still cost; its
// reservation is released when its answer is priced. A batch with no room left for its next item
// and nothing in flight is paused (logged, shown by BudgetOf) until a cap is raised or its key's
// day or month turns; its items stay queued.
// A store call that fails for a transient reason (busy, disk full) is tried again with backoff
// until it succeeds (the engine reports the trouble meanwhile, see StoreTrouble); one that fails
// for good fails only the batch it was made for. Batch state is shared by the batch's runner and
// the coroutines working for it, each of which checks the batch is still there when it resumes.
// Threading: every method on the io executor given to the constructor (single-threaded); store
// calls run on `store_executor` (one blocking thread) and never on the event loop.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "cost/budget.h"
#include "cost/prices.h"
#include "http/client.h"
#include "http/request_trace.h"
#include "providers/provider.h"
#include "retry/retry_policy.h"
#include "scheduler/fallbacks.h"
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
  DeploymentRouting routing{};                  // weight, tier, price, breaker settings
  router::Strategy strategy = router::Strategy::kExpectedFinish;  // its model's
  // Its model's prices (runtime/model_prices.h), which price each batch result; unset: unknown.
  std::optional<cost::Prices> prices = std::nullopt;
};

struct DispatcherOptions {
  // Items held in memory at most, over every batch at once: leased (waiting or in flight) plus
  // finished and not yet durable. The batches being driven share it evenly.
  std::size_t window = 4096;
  // Batches driven at once at most; the others wait their turn, highest priority first, then in
  // the order they came.
  std::size_t max_batches = 8;
  // Single node: leases only need to outlive the process (ExpireLeases runs at start).
  Duration lease = std::chrono::hours(24);
  retry::RetryOptions retry;
  // Backoff between tries of a store call that failed for a transient reason; such a call is
  // tried until it succeeds or Stop() is called.
  retry::RetryOptions store_retry = retry::kStoreRetry;
  PlannerOptions planner;
  std::uint64_t seed = 1;
  // Where an item goes when its final answer is of a fallback class (fresh attempts there).
  Fallbacks fallbacks;
  // Each leased window is sent with the lines that share a long prompt prefix one after another
  // (batch/prompt_prefix.h), so the provider's prompt cache serves them; false: input order.
  bool group_by_prefix = true;
};

struct BatchSpec {
  std::string id;
  std::string tenant;
  Priority priority = Priority::kNormal;
  std::optional<std::int64_t> max_cost_nanousd = std::nullopt;  // its cost cap; unset: none
  // RunBatch returns (kResourceExhausted, the reason) once the batch is paused for its budget,
  // instead of waiting for a cap to be raised: `sluice run --max-cost`.
  bool end_when_paused = false;
};

// A batch's durable results (from the store at start, then as results commit).
struct BatchCounts : batch::ResultTally {
  std::int64_t total = 0;
};

// An interactive request's place on a deployment, from Admit until Complete.
struct Admission {
  int deployment = 0;
  std::string tenant;  // its answer's cost counts against this key's budget
  std::string model;
  std::shared_ptr<const providers::Provider> provider;
  Duration timeout{};
  TimePoint admitted_at{};
};

// Told of every upstream attempt, batch or interactive (for metrics); any member may be unset.
struct UpstreamObserver {
  std::function<void(int deployment)> started;
  std::function<void(int deployment, const providers::Outcome& outcome, Duration latency)> finished;
  std::function<void(int deployment)> retried;
};

// Counters over every batch since the dispatcher started; read on the io executor.
struct Progress {
  std::int64_t total = 0;      // items in the batch
  std::int64_t succeeded = 0;  // durable successful results (earlier runs included)
  std::int64_t failed = 0;     // durable failed results (earlier runs included)
  std::int64_t in_flight = 0;
  std::int64_t waiting_retry = 0;
  std::int64_t sent = 0;          // attempts sent upstream
  std::int64_t retries = 0;       // attempts that were retried
  std::int64_t rate_limited = 0;  // 429 answers
  std::int64_t fallbacks = 0;     // items sent on to a fallback model
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::map<std::string, batch::Usage> usage_by_model;  // answers received in this run
};

class Dispatcher {
 public:
  Dispatcher(boost::asio::any_io_executor io, boost::asio::any_io_executor store_executor,
             Clock& clock, store::Store& store, http::Client& client, std::vector<Target> targets,
             DispatcherOptions options);

  // The engine's loop: dispatches, leases for the batches being run, commits. Returns OK once
  // Stop() was called, every request in flight has finished and every result that could be saved
  // is durable. A failing store does not end it.
  boost::asio::awaitable<Status> Run();

  // Works on `spec`'s batch (Run must be running) until every item has a durable result (OK),
  // CancelBatch was called and its requests in flight have finished and been saved
  // (kCancelled), Stop() was called (kCancelled, "stopped"), or a store call made for this batch
  // failed for good (that call's error; the answers not yet saved are dropped, their items stay
  // leased and a later run sends them again). A cancel is kept from the moment RunBatch is called.
  boost::asio::awaitable<Status> RunBatch(BatchSpec spec);

  // Run and RunBatch for one batch, then stop: `sluice run`.
  boost::asio::awaitable<Status> RunOnly(BatchSpec spec);
  boost::asio::awaitable<Status> RunOnly(std::string batch_id) {
    return RunOnly(BatchSpec{std::move(batch_id), "", Priority::kNormal});
  }

  // Sends nothing more of the batch; what is in flight finishes and is saved. No-op if unknown.
  void CancelBatch(const std::string& batch_id);

  // Waits up to `wait` for a deployment of `model` to have room for an interactive request of
  // `tokens`, ahead of every batch. kNotFound for a model without deployments; kUnavailable,
  // without waiting, when every deployment's breaker is open; kResourceExhausted when no room
  // came in time, with RetryAfter telling when it should.
  boost::asio::awaitable<Result<Admission>> Admit(std::string model, std::string tenant,
                                                  std::int64_t tokens, Duration wait);
  // The admitted request has finished with `outcome`: frees its slot, learns from the answer.
  void Complete(const Admission& admission, const providers::Outcome& outcome);
  // After Admit failed with kResourceExhausted: how long until the model could take `tokens`
  // from `tenant` (its deployments' limits and the tenant's own quota).
  Duration RetryAfter(const std::string& model, const std::string& tenant,
                      std::int64_t tokens) const;

  // A tenant's own quota over every deployment (a gateway key's rpm/tpm).
  void SetTenantLimits(const std::string& tenant, TenantLimits limits) {
    planner_.SetTenantLimits(tenant, limits, clock_.Now());
  }

  // A gateway key's caps per UTC day and month over its batches and its interactive requests
  // (counted from this process's start).
  void SetKeyBudget(const std::string& tenant, cost::KeyLimits limits);
  // Why `tenant` may spend nothing more now (its key's cap is reached); nullopt otherwise.
  std::optional<std::string> KeyBudgetExhausted(const std::string& tenant) const;
  // Changes the cost cap of a batch being run (a paused one resumes if the new cap leaves room
  // for its next item); false when it is not being run.
  bool SetBatchBudget(const std::string& batch_id, std::optional<std::int64_t> max_cost_nanousd);
  // A batch's spending against its cap; nullopt when it is not being run.
  std::optional<cost::BudgetState> BudgetOf(const std::string& batch_id) const;

  // Stops sending batch items; requests in flight finish and their results are committed.
  void Stop();

  void SetObserver(UpstreamObserver observer) { observer_ = std::move(observer); }
  // An interactive request is trying again on `deployment` (for the observer).
  void CountRetry(int deployment) {
    if (observer_.retried) observer_.retried(deployment);
  }

  // Why the engine cannot write its store now ("sluice cannot write its store: disk full (...);
  // retrying"), while a transient store failure is being retried; nullopt when it can.
  std::optional<std::string> StoreTrouble() const;

  const Progress& progress() const { return progress_; }
  // The counts of a batch being run; nullopt when it is not.
  std::optional<BatchCounts> Counts(const std::string& batch_id) const;
  const retry::RetryPolicy& retry_policy() const { return retry_policy_; }
  const Fallbacks& fallbacks() const { return options_.fallbacks; }
  const std::vector<Target>& targets() const { return targets_; }
  const Planner& planner() const { return planner_; }

 private:
  // The prices of the model called `model` (its targets share them); unset: unknown.
  std::optional<cost::Prices> PricesOf(const std::string& model) const;

  struct ActiveBatch {
    BatchSpec spec;
    int lane = 0;  // -1 once withdrawn from the planner (cancelled, stopped)
    BatchCounts counts;
    std::size_t held = 0;         // lines leased and not yet finished (duplicates included)
    std::size_t uncommitted = 0;  // finished, not yet durable
    bool store_drained = false;   // every pending item has been leased
    bool started = false;         // its leases expired and its counts read
    bool refilling = false;
    bool cancelled = false;
    bool gone = false;          // RunBatch has returned: coroutines resuming for it drop their work
    bool admitted = false;      // its turn came: it counts toward max_batches
    cost::Budget budget;        // its cap, what its results cost and what is in flight
    int sending = 0;            // its attempts in flight
    std::optional<std::string> paused;  // why it is paused for its budget
    std::uint64_t arrival = 0;  // the order RunBatch was called in
    Status failure;             // a store call for this batch failed for good
    Notifier changed;           // wakes RunBatch
    explicit ActiveBatch(boost::asio::any_io_executor io) : changed(io) {}
    bool Done() const { return held == 0 && uncommitted == 0 && !refilling; }
    std::size_t Holding() const { return held + uncommitted; }
  };
  struct Held {
    std::shared_ptr<ActiveBatch> batch;
    batch::LeasedItem leased;
    int attempt = 1;
    bool waiting_retry = false;  // queued again after a transient failure
    // The models it was sent to, in order, once a fallback took it (the item's own first).
    std::vector<std::string> tried;
    // Its output line's id and a trace of its own, carried by each of its upstream attempts.
    http::RequestTrace trace;
    std::int64_t reserved = 0;  // what the attempt in flight may cost, against the budgets
  };
  using HeldMap = std::unordered_map<std::int64_t, Held>;  // by ticket id
  struct Waiter {  // an interactive request waiting for admission
    std::optional<int> deployment;
    Notifier admitted;
  };
  struct Finished {
    std::string batch_id;
    batch::ResultRecord result;
  };

  // Admits `batch` if a place is free and no waiting batch is ahead of it; true if admitted.
  bool TakeTurn(ActiveBatch& batch);
  // `batch` has returned: frees its place and wakes the batches waiting for one.
  void LeaveTurn(ActiveBatch& batch);
  // Leases more for `batch` if its share of the window is half free, taking from `free` (what
  // the window has left over every batch).
  void Refill(const std::shared_ptr<ActiveBatch>& batch, std::size_t& free);
  boost::asio::awaitable<void> Lease(std::shared_ptr<ActiveBatch> batch, std::size_t want);
  // Expires the batch's old leases and reads its counts; its lane is added unless cancelled.
  boost::asio::awaitable<Status> Start(std::shared_ptr<ActiveBatch> batch);
  // Runs `work` (returning R: a Status or a Result) on the store executor, trying again with
  // backoff while it fails for a transient reason and the dispatcher is not stopping.
  template <typename R>
  boost::asio::awaitable<R> CallStore(std::function<R()> work);  // dispatcher_store.cc
  // Writes one batch's results of a commit group; false when the batch's store failed for good.
  boost::asio::awaitable<bool> Commit(std::string batch_id,
                                      std::shared_ptr<std::vector<batch::ResultRecord>> results);
  void FailBatch(const std::string& batch_id, const Status& status);
  boost::asio::awaitable<void> Send(Dispatch dispatch);
  boost::asio::awaitable<void> CommitLoop();
  // Queues a failed attempt's ticket again, to go at `not_before` (a retry).
  void Requeue(Dispatch dispatch, Held& held, TimePoint not_before);
  void Finish(HeldMap::iterator held, const providers::Outcome& outcome);
  // Queues the item again for the next fallback of its outcome's class, with fresh attempts;
  // false when it has none left (dispatcher_fallback.cc).
  bool FallBack(Ticket ticket, Held& held, const providers::Outcome& outcome);
  // Every deployment of `model` is down (`outcome` the failure that showed it): its queued batch
  // items that have a fallback for that class go on to it now instead of waiting for a probe.
  void FallBackQueued(const std::string& model, const providers::Outcome& outcome);
  // Takes the batch's queued tickets out of the planner: nothing more of it is sent.
  void Withdraw(ActiveBatch& batch);
  // Feeds an answer to the deployment's limiter and breaker (logging a breaker's change once);
  // `latency` is the time the attempt took.
  void Learn(int deployment, const providers::Outcome& outcome, Duration latency, TimePoint now);
  bool Idle() const;
  // Budgets (dispatcher_budget.cc). Gives each batch lane what its caps leave it.
  void ApplyBudgets();
  // A batch item is being sent: reserves its cost against its batch's and its key's caps.
  void Reserve(Held& held, std::int64_t cost);
  // Its attempt has ended: releases the reservation.
  void Release(Held& held);
  // A priced answer: counts against the batch (if any) and `tenant`'s key.
  void Spend(ActiveBatch* batch, const std::string& tenant, std::int64_t nanousd);
  // Notes which batches are paused for budget now (logging each change); returns when a key's
  // period turns for a paused one (a time to wake at), if any.
  std::optional<TimePoint> NotePauses();
  // Why `batch` has no room for its next item, held back for `cost`.
  std::string PauseReason(const ActiveBatch& batch) const;

  boost::asio::any_io_executor io_;
  boost::asio::any_io_executor store_executor_;
  Clock& clock_;
  store::Store& store_;
  http::Client& client_;
  std::vector<Target> targets_;
  DispatcherOptions options_;
  retry::RetryPolicy retry_policy_;
  retry::RetryPolicy store_retry_policy_;
  Random random_;
  Planner planner_;
  Notifier wake_;         // the dispatch loop
  Notifier commit_wake_;  // the commit loop
  std::map<std::string, std::shared_ptr<ActiveBatch>> batches_;
  HeldMap held_;
  std::unordered_map<std::int64_t, Waiter*> waiters_;  // by ticket id
  std::map<std::string, int> interactive_lanes_;       // by tenant
  std::int64_t next_ticket_ = 0;
  std::vector<Finished> uncommitted_;
  bool stopping_ = false;
  bool committing_ = false;
  bool commit_loop_exited_ = false;
  bool running_ = false;
  int leasing_ = 0;           // Lease coroutines alive
  std::size_t admitted_ = 0;  // batches whose turn has come and not yet returned
  std::uint64_t arrivals_ = 0;
  std::optional<Status> store_trouble_;  // the transient store failure being retried
  Progress progress_;
  UpstreamObserver observer_;
  std::map<std::string, cost::KeyBudget> key_budgets_;  // by tenant
};

}  // namespace sluice::scheduler
