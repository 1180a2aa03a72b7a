// ProviderBatchRunner: provider mode's driver, beside the real-time dispatcher. It runs a
// batch's unfinished lines through the providers' own batch APIs: packs them at each provider's
// limits, records each submission in the batch's data before creating it upstream, creates,
// polls with backoff, maps the results back by custom_id, writes them through the store (first
// write wins, priced at the batch discount) and sends again what came back expired or retryable.
// A restart resumes the recorded submissions: an unsent one is found upstream by its
// metadata or sent, a sent one is polled; no line is sent twice by a restart.
// Threading: Run, Stop and Cancel on the io executor; store calls go to `store_executor`.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "config/config.h"
#include "cost/mode_choice.h"
#include "cost/prices.h"
#include "provider_batch/batch_api.h"
#include "provider_batch/line_results.h"
#include "provider_batch/submissions.h"
#include "scheduler/notifier.h"
#include "store/store.h"

namespace sluice::provider_batch {

// Where a model's lines go in provider mode: one deployment with a batch API.
struct ProviderTarget {
  std::int64_t deployment = 0;  // index among the model's deployments
  std::shared_ptr<const providers::Provider> provider;
  std::unique_ptr<BatchApi> api;
  std::optional<cost::Prices> prices;  // at the batch discount; unset: unknown
  std::int64_t max_lines = 50'000;     // the provider's limits, lowered by the config
  std::int64_t max_bytes = 200'000'000;
};

// What provider mode did in this run.
struct ProviderProgress {
  std::int64_t submitted_batches = 0;  // provider batches created
  std::int64_t submitted_lines = 0;
  std::int64_t resent_lines = 0;  // lines sent again (expired, retryable, lost)
  std::int64_t succeeded = 0;     // results written in this run
  std::int64_t failed = 0;
  std::map<std::string, batch::Usage> usage_by_model;
  std::int64_t cost_nanousd = 0;  // of the priced results written in this run
  std::int64_t unpriced = 0;      // results of a model without a price
};

// When a batch must be done by, and the real-time capacity its lines have: with it, Run moves
// every unfinished line to real time once cost::ShouldMoveToRealtime says it must.
struct BatchDeadline {
  WallTime at{};
  std::function<cost::Throughput(const std::string& model)> throughput;
  cost::LateMoveOptions late{};
};

class ProviderBatchRunner {
 public:
  ProviderBatchRunner(boost::asio::any_io_executor io, boost::asio::any_io_executor store_executor,
                      Clock& clock, store::Store& store,
                      std::map<std::string, ProviderTarget> targets,
                      config::ProviderBatchConfig options);

  // The batch record to save with `state` in its data, made on the io executor by whoever owns
  // the batch's data (sluice run: the record; sluice serve: the Batch object).
  using RecordOf = std::function<batch::BatchRecord(const ProviderBatchState& state)>;

  // Runs until every line of `batch_id` has a result (OK), Stop() or Cancel() was called
  // (kCancelled; after Stop what is upstream stays recorded and is polled again by the next Run;
  // after Cancel the lines no provider batch ran are left open, for the caller to close), or the
  // store fails (that error). `state` is what the batch's data holds (ReadState); every change
  // is saved as `record_of` makes it. Upstream failures are logged and waited out by polling again;
  // a provider batch the provider refuses outright ends its lines with provider_batch_rejected.
  boost::asio::awaitable<Status> Run(std::string batch_id, ProviderBatchState state,
                                     RecordOf record_of);

  // Before Run: the deadline to meet. Once real time would need the rest of the time left, Run
  // cancels the open provider batches upstream (what they still return is never read, so no
  // line is answered or billed twice), frees the unfinished lines for the dispatcher and
  // returns kAborted with the reason (also in moved()).
  void SetDeadline(BatchDeadline deadline) { deadline_ = std::move(deadline); }
  const std::optional<std::string>& moved() const { return moved_; }
  // Before Run: the batch's cost cap (earlier runs' results count against it). A provider batch
  // is only submitted with the lines whose most possible cost (cost::ReservationOf at the batch
  // price) fits under it beside what open provider batches may cost; once nothing more fits and
  // nothing is open, Run returns kResourceExhausted ("paused for budget: ...").
  void SetBudget(std::optional<std::int64_t> max_cost_nanousd) { max_cost_ = max_cost_nanousd; }

  // Stops polling and submitting at the next step; nothing is lost.
  void Stop();
  // Cancels the batch's open provider batches upstream and sends nothing more; Run writes what
  // they executed and returns once they have ended.
  void Cancel();

  const ProviderProgress& progress() const { return progress_; }

 private:
  template <typename R, typename Work>
  boost::asio::awaitable<R> OnStore(Work work);
  boost::asio::awaitable<Status> Save();
  // Moves the unfinished lines to real time if the deadline demands it (sets moved_); else
  // lowers `wake_at` to when it will.
  boost::asio::awaitable<Status> MoveIfLate(TimePoint& wake_at);
  boost::asio::awaitable<Status> SubmitPending();
  boost::asio::awaitable<Status> Send(Submission& submission);
  boost::asio::awaitable<Status> PollOnce(Submission& submission);
  // Writes results (first write wins) and forgets their lines.
  boost::asio::awaitable<Status> Record(std::vector<batch::ResultRecord> results);
  // Records a submission's verdicts and closes it.
  boost::asio::awaitable<Status> Settle(Submission& submission, LineVerdicts verdicts);
  std::vector<batch::LeasedItem> ItemsOf(const Submission& submission) const;
  // What may still be submitted under the cap: cap − spent − what open submissions may cost;
  // nullopt without a cap.
  std::optional<std::int64_t> BudgetLeft();
  // Keeps the first of `lines` (of `target`) that fit in `left`, taking what they use from it.
  void FitBudget(std::vector<const batch::LeasedItem*>& lines, const ProviderTarget& target,
                 std::int64_t& left);
  std::map<std::int64_t, std::int64_t> TimesSent(const Submission& submission) const;
  ProviderTarget* TargetOf(const Submission& submission);

  boost::asio::any_io_executor io_;
  boost::asio::any_io_executor store_executor_;
  Clock& clock_;
  store::Store& store_;
  std::map<std::string, ProviderTarget> targets_;
  config::ProviderBatchConfig options_;
  scheduler::Notifier wake_;
  bool stopping_ = false;
  bool cancelled_ = false;
  std::string batch_id_;
  RecordOf record_of_;
  ProviderBatchState state_;
  std::map<std::int64_t, batch::LeasedItem> items_;  // lines without a result
  std::map<std::string, TimePoint> next_poll_;       // by submission id
  std::map<std::string, Duration> backoff_;
  ProviderProgress progress_;
  std::optional<BatchDeadline> deadline_;
  std::optional<std::int64_t> max_cost_;
  std::int64_t spent_ = 0;       // the batch's results' cost, earlier runs included
  bool budget_paused_ = false;   // lines wait because they do not fit under max_cost_
  std::optional<std::string> moved_;
};

}  // namespace sluice::provider_batch
