// The dispatcher's side towards the store: store calls tried again while they fail for a
// transient reason, a batch's start, and the commit loop. A permanent failure fails only the batch
// the call was made for. Threading: as Dispatcher (the io executor; store work on the store one).
#include <spdlog/spdlog.h>

#include "http/offload.h"
#include "http/sleep.h"
#include "scheduler/dispatcher.h"
#include "store/store_errors.h"

namespace sluice::scheduler {
namespace asio = boost::asio;

namespace {

// The reason a user reads first: what is wrong with the store, in two words.
std::string_view TroubleName(const Status& status) {
  return status.code() == StatusCode::kResourceExhausted ? "disk full" : "database busy";
}

}  // namespace

std::optional<std::string> Dispatcher::StoreTrouble() const {
  if (!store_trouble_) return std::nullopt;
  return "sluice cannot write its store: " + std::string(TroubleName(*store_trouble_)) + " (" +
         store_trouble_->message() + "); retrying";
}

template <typename R>
asio::awaitable<R> Dispatcher::CallStore(std::function<R()> work) {
  for (int attempt = 1;; ++attempt) {
    R result = co_await http::Offload<R>(store_executor_, io_, work);
    Status status = StatusOf(result);
    if (status.ok()) store_trouble_.reset();
    if (status.ok() || !store::IsTransient(status) || stopping_) co_return result;
    if (!store_trouble_) spdlog::warn("the store failed, retrying: {}", status.ToString());
    store_trouble_ = status;
    // Past 16 attempts the backoff is at its cap anyway.
    Duration wait = store_retry_policy_.Backoff(std::min(attempt, 16), random_);
    co_await http::SleepFor(clock_, wait);
  }
}

// The store calls the dispatcher makes.
template asio::awaitable<Status> Dispatcher::CallStore(std::function<Status()>);
template asio::awaitable<Result<batch::ItemCounts>> Dispatcher::CallStore(
    std::function<Result<batch::ItemCounts>()>);
template asio::awaitable<Result<std::vector<batch::LeasedItem>>> Dispatcher::CallStore(
    std::function<Result<std::vector<batch::LeasedItem>>()>);

asio::awaitable<Status> Dispatcher::Start(std::shared_ptr<ActiveBatch> batch) {
  store::Store& store = store_;
  std::string id = batch->spec.id;
  std::function<Status()> expire = [&store, id] {
    return store.ExpireLeases(id);
  };  // no holder survives a restart
  Status expired = co_await CallStore<Status>(std::move(expire));
  if (!expired.ok()) co_return expired.WithContext("starting batch " + id);
  std::function<Result<batch::ItemCounts>()> count = [&store, id] { return store.CountItems(id); };
  auto counts = co_await CallStore<Result<batch::ItemCounts>>(std::move(count));
  if (!counts.ok()) co_return counts.status().WithContext("starting batch " + id);
  static_cast<batch::ResultTally&>(batch->counts) = *counts;
  batch->counts.total = counts->total;
  batch->budget.Spend(counts->cost_nanousd);  // what earlier runs spent counts against its cap
  batch->started = true;
  progress_.total += counts->total;
  progress_.succeeded += counts->succeeded;
  progress_.failed += counts->failed;
  if (!batch->cancelled && !stopping_) {
    batch->lane = planner_.AddLane({batch->spec.priority, batch->spec.tenant});
  }
  wake_.Notify();
  co_return OkStatus();
}

void Dispatcher::FailBatch(const std::string& batch_id, const Status& status) {
  auto it = batches_.find(batch_id);
  if (it == batches_.end()) return;
  spdlog::error("batch {}: the store failed: {}", batch_id, status.ToString());
  if (it->second->failure.ok()) it->second->failure = status;
  Withdraw(*it->second);
}

asio::awaitable<void> Dispatcher::CommitLoop() {
  while (true) {
    if (uncommitted_.empty()) {
      if (stopping_ && Idle()) break;
      co_await commit_wake_.Wait();
      continue;
    }
    // Everything that finished while the previous group was being written goes in one group.
    std::map<std::string, std::shared_ptr<std::vector<batch::ResultRecord>>> group;
    for (Finished& f : uncommitted_) {
      auto& results = group[f.batch_id];
      if (!results) results = std::make_shared<std::vector<batch::ResultRecord>>();
      results->push_back(std::move(f.result));
    }
    uncommitted_.clear();
    committing_ = true;
    for (auto& [id, results] : group) {
      bool saved = co_await Commit(id, results);
      auto it = batches_.find(id);
      if (it == batches_.end()) continue;
      ActiveBatch& batch = *it->second;
      if (saved) {
        for (const batch::ResultRecord& r : *results) batch.counts.Add(r);
      }
      batch.uncommitted -= results->size();
      batch.changed.Notify();
    }
    committing_ = false;
    wake_.Notify();
  }
  commit_loop_exited_ = true;
  for (auto& [id, batch] : batches_) batch->changed.Notify();
  wake_.Notify();
}

asio::awaitable<bool> Dispatcher::Commit(
    std::string batch_id, std::shared_ptr<std::vector<batch::ResultRecord>> results) {
  store::Store& store = store_;
  std::function<Status()> write = [&store, batch_id, results] {
    return store.AddResults(batch_id, *results);
  };
  Status written = co_await CallStore<Status>(std::move(write));
  if (!written.ok()) {
    // Their items stay leased: a later run of the batch sends them again.
    spdlog::warn("batch {}: {} results not saved: {}", batch_id, results->size(),
                 written.ToString());
    if (!store::IsTransient(written)) FailBatch(batch_id, written.WithContext("saving results"));
    co_return false;
  }
  for (const batch::ResultRecord& r : *results) {
    ++(r.success ? progress_.succeeded : progress_.failed);
  }
  co_return true;
}

}  // namespace sluice::scheduler
