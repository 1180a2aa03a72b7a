// BatchesApi: OpenAI's Batch API (POST/GET /v1/batches, GET /v1/batches/{id}, POST
// /v1/batches/{id}/cancel) and the lifecycle behind it. A created batch is driven by one
// coroutine: validating (the input file ingested line by line into the store, every line checked)
// → in_progress (its items run through the dispatcher, fairly beside other batches) →
// finalizing (output and error files written as ordinary files, purpose batch_output, expiring
// as output_expires_after or retention says) →
// completed; or failed (invalid input, errors.data[]), cancelling → cancelled (in-flight
// requests finish, the rest get batch_cancelled error lines), expired (completion_window passed;
// unfinished lines get batch_expired). Every step is saved in the store, so after a restart
// Resume() takes every unfinished batch up where it stood. A step that meets a busy or full store
// is tried again with backoff; one that fails for good fails the batch (errors.data[], code
// store_error). Finalizing is repeatable: output files have ids derived from the batch's.
// Threading: every method on the io executor (the dispatcher's); store, file and ingest work run
// on the blocking executors given.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/batch_mode.h"
#include "api/scope.h"
#include "batch/ingest.h"
#include "common/clock.h"
#include "config/config.h"
#include "http/message.h"
#include "provider_batch/provider_batch_runner.h"
#include "scheduler/dispatcher.h"
#include "scheduler/notifier.h"
#include "store/file_bodies.h"
#include "store/store.h"

namespace sluice::api {

struct BatchesApiOptions {
  std::vector<std::string> models;  // the model names batch lines may use
  std::string work_dir;             // scratch files (same filesystem as the file bodies)
  Duration max_completion_window = std::chrono::hours(24);
  batch::IngestOptions ingest;
  // Where a finished batch's output and error files are written, a page of results per store
  // call, so that other batches' store calls go on between pages. Unset: the store executor,
  // which then does nothing else until the files are written. (An optional: Boost 1.81 cannot
  // copy or move an empty any_io_executor.)
  std::optional<boost::asio::any_io_executor> output_executor;
  // How long a batch's output and error files are kept when the batch names no
  // output_expires_after (retention.batch_output_files); unset: until deleted. OpenAI's default:
  // 30 days.
  std::optional<Duration> output_file_expiry = std::chrono::hours(24 * 30);
  // Where a finished batch's items are then dropped (Store::DropItems, in steps that leave the
  // store to other calls in between, so a big batch's drop takes minutes: not on the output
  // executor, where the next batch's files would wait for it). Unset: the output executor.
  std::optional<boost::asio::any_io_executor> drop_executor;
  // A batch reaching a terminal status: called on the store executor just before that status is
  // saved, so what it records (a webhook in the outbox) is durable before the batch is; an error
  // fails the save, which is tried again. Unset: nothing is called.
  std::function<Status(const boost::json::object& batch, const std::string& tenant)> on_terminal;
  // Why a batch's metadata.webhook_url cannot receive webhooks; nullopt when it can. Unset:
  // webhooks are off, and a batch that names one is refused.
  std::function<std::optional<std::string>(std::string_view url)> webhook_url_problem;
  // A dry run's figures (sluice.dry_run) for a validated file and the time its window leaves.
  // Unset: a batch asking for a dry run (metadata.sluice_dry_run) is refused.
  std::function<boost::json::object(const batch::IngestReport& report, Duration time_left)> dry_run;
  // How a batch runs when its metadata.sluice_mode names no mode (batch_mode).
  config::BatchMode default_mode = config::BatchMode::kRealtime;
  // The mode a batch that asks for `requested` runs in (and why), decided when it has been
  // validated, `time_left` being its completion window; on the io executor. Unset: as asked,
  // and `auto` runs in real time.
  std::function<ModeDecision(const batch::IngestReport& report, config::BatchMode requested,
                             Duration time_left)>
      decide_mode;
  // The deadline a provider-mode batch ending at `at` must meet (its unfinished lines move to
  // real time in time for it). Unset: they never move.
  std::function<provider_batch::BatchDeadline(WallTime at)> deadline_of;
  // Makes the driver of one provider-mode batch (on the io executor). Unset: provider mode is
  // refused with a 400.
  std::function<std::unique_ptr<provider_batch::ProviderBatchRunner>()> provider_runner;
};

class BatchesApi {
 public:
  BatchesApi(boost::asio::any_io_executor io, boost::asio::any_io_executor store_executor,
             boost::asio::any_io_executor ingest_executor, Clock& clock, store::Store& store,
             const store::FileBodies& bodies, scheduler::Dispatcher& dispatcher,
             BatchesApiOptions options);

  // Takes up every batch that was not finished when the process last stopped.
  boost::asio::awaitable<Status> Resume();
  // Drives nothing further: batches stay where they are (provider batches keep running
  // upstream), to be resumed by the next process.
  void Stop();

  boost::asio::awaitable<http::Response> Create(http::Request request, std::string tenant);
  // Get, Cancel and List reach the batches of `scope`: another tenant's batch is a 404, as an
  // unknown one is, unless the caller is an admin.
  boost::asio::awaitable<http::Response> Get(std::string id, Scope scope);
  boost::asio::awaitable<http::Response> Cancel(std::string id, Scope scope);
  boost::asio::awaitable<http::Response> List(http::Request request, Scope scope);
  // POST /v1/batches/{id}/budget (batches_budget.cc): changes a batch's cost cap.
  boost::asio::awaitable<http::Response> SetBudget(std::string id, http::Request request,
                                                   Scope scope);

  // Batches being driven now, by status (for metrics).
  std::map<std::string, std::int64_t> ActiveByStatus() const;
  // Number of batches being driven now.
  std::size_t active() const { return active_.size(); }
  Clock& clock() const { return clock_; }

 private:
  struct Active {
    batch::BatchRecord record;
    boost::json::object object;
    bool expired = false;  // the window passed while it ran
    // Set while its lines run through the providers' batch APIs (provider mode).
    std::shared_ptr<provider_batch::ProviderBatchRunner> provider;
  };

  boost::asio::awaitable<void> Drive(std::string id);
  // A dry run of the new batch `record` (metadata.sluice_dry_run; batches_dry_run.cc): its file
  // validated and priced, nothing sent; saved completed (or failed, for invalid input) without
  // output files, its figures in sluice.dry_run. Returns the saved object.
  boost::asio::awaitable<Result<boost::json::object>> DryRun(batch::BatchRecord record,
                                                             boost::json::object object,
                                                             Duration window);
  // How the batch's input file is validated: its endpoint, the models served.
  batch::IngestOptions IngestOptionsFor(const boost::json::object& batch) const;
  // Takes the batch from where it stands as far as it goes: validated, run, finalized.
  boost::asio::awaitable<Status> Advance(Active& batch);
  boost::asio::awaitable<Status> Validate(Active& batch);
  boost::asio::awaitable<Status> Execute(Active& batch);
  // Runs the batch's open lines to their results: through the dispatcher, or in provider mode
  // through the providers' batch APIs (batches_api_provider.cc). kCancelled when cancelled.
  boost::asio::awaitable<Status> RunLines(Active& batch);
  // kAborted when the lines moved to real time (recorded in sluice.mode_decision).
  boost::asio::awaitable<Status> RunThroughProviders(Active& batch);
  // Records (and logs) the batch's mode decision once it is validated.
  void DecideMode(Active& batch, const batch::IngestReport& report);
  // Stops the batch's run: the dispatcher's, or its provider batches upstream.
  void CancelRun(Active& batch);
  // Cancels the batch's run when `deadline` comes first (its completion window passed).
  boost::asio::awaitable<void> ExpireAt(std::string id, TimePoint deadline,
                                        std::shared_ptr<scheduler::Notifier> finished);
  boost::asio::awaitable<Status> CloseOpenItems(Active& batch, std::string code,
                                                std::string message);
  boost::asio::awaitable<Status> Finalize(Active& batch, std::string_view status);
  // When the batch's output and error files, made at `created_at`, expire.
  std::optional<WallTime> OutputExpiresAt(const boost::json::object& batch,
                                          WallTime created_at) const;
  boost::asio::awaitable<Status> Save(Active& batch);
  // The 400 for a metadata.webhook_url this gateway cannot send to; nullopt when there is none
  // or it is fine.
  std::optional<http::Response> CheckWebhookUrl(const boost::json::value& metadata) const;
  // The batch as clients see it. While it runs the dispatcher's live counts are copied into
  // it, so they never go back when the dispatcher lets a cancelled or expired batch go before
  // finalize has counted its results.
  boost::json::object View(Active& batch);
  boost::asio::awaitable<Result<batch::BatchRecord>> Load(std::string id, Scope scope);

  boost::asio::any_io_executor io_;
  boost::asio::any_io_executor store_executor_;
  boost::asio::any_io_executor ingest_executor_;
  Clock& clock_;
  store::Store& store_;
  const store::FileBodies& bodies_;
  scheduler::Dispatcher& dispatcher_;
  BatchesApiOptions options_;
  std::map<std::string, Active> active_;  // by id: the batches being driven
  bool stopping_ = false;
};

}  // namespace sluice::api
