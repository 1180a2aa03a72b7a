// RunBatchFile: `sluice run`'s engine, composed from the modules — the embedded store in
// data_dir, ingest with validation, the dispatcher against the configured deployments, and the
// output files. Resumable: the same input file (same path, size and modification time) continues
// the batch it started; a finished one is not run again unless forced.
// Blocking: runs its own event loop on the calling thread and one store thread. SIGINT/SIGTERM
// during the run stop dispatch, let requests in flight finish (up to drain_timeout) and save.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/batch_mode.h"
#include "batch/ingest.h"
#include "common/result.h"
#include "config/config.h"
#include "runtime/dry_run_plan.h"
#include "runtime/store_retry.h"
#include "provider_batch/provider_batch_runner.h"
#include "scheduler/dispatcher.h"
#include "store/store.h"
#include "tokens/tokenizers.h"

namespace sluice::runtime {

struct RunRequest {
  std::string input_path;
  std::string output_path;
  std::optional<std::string> errors_path;  // unset: failures go to the output file
  bool dry_run = false;                    // validate and estimate; send nothing
  bool skip_invalid = false;  // invalid lines become error lines instead of stopping the run
  bool force = false;         // run again even if this file already completed
  // Which identical lines share one request (over config.dedup); unset: the config's. Decided
  // when a line is first ingested: a resumed batch keeps its first run's choice.
  std::optional<batch::DedupMode> dedup;
  // Lines sharing a long prompt prefix are sent together (false: in input order); the output is
  // in input order either way.
  bool group_by_prefix = true;
  // The batch's cost cap (--max-cost), earlier runs' spending included: at the cap the run stops
  // sending, saves what finished and ends (kPausedForBudget); a rerun with a higher cap goes on.
  std::optional<std::int64_t> max_cost_nanousd;
  // realtime, provider (the providers' batch APIs) or auto; unset: the config's batch_mode.
  std::optional<config::BatchMode> mode;
  // The time the batch has from its first run (--completion-window): `auto` weighs it, and a
  // provider-mode batch moves its unfinished lines to real time in time to finish inside it.
  Duration completion_window = std::chrono::hours(24);
  Duration drain_timeout = std::chrono::seconds(30);
  Duration progress_interval = std::chrono::seconds(1);
  // The loaded encodings for exact token counts (not owned); nullptr: the character heuristic.
  const tokens::Tokenizers* tokenizers = nullptr;
};

enum class RunOutcome {
  kCompleted,        // every line has a result in the output files
  kAlreadyDone,      // this file completed before; nothing was sent, its saved results rewritten
  kInvalidInput,     // invalid lines and no --skip-invalid; nothing was sent
  kInterrupted,      // stopped by a signal; what finished is saved, a rerun resumes
  kDryRun,           // validated and estimated only
  kPausedForBudget,  // stopped at the cost cap; what finished is saved, a rerun resumes
};

struct RunReport {
  RunOutcome outcome = RunOutcome::kCompleted;
  std::string batch_id;
  bool resumed = false;
  config::BatchMode mode = config::BatchMode::kRealtime;  // the mode the batch ran in
  std::optional<api::ModeDecision> decision;  // what was decided and why (not for a dry run)
  std::int64_t provider_batches = 0;  // provider mode: provider batches created in this run
  batch::IngestReport ingest;
  scheduler::Progress progress;
  Duration wall{};
  Duration estimated_duration{};  // at the configured limits (dry run and summary)
  // Dollars, where every model's price is known (model_prices.h): what the answers received in
  // this run cost, and before sending, the most the file can cost (all output caps used).
  std::optional<double> cost;
  std::optional<double> maximum_cost;
  // Dollars: what every answer of the batch cost, earlier interrupted runs included, summed from
  // the cost stored with each result; unset until the batch completes, or when a model that
  // answered has no price.
  std::optional<double> batch_cost;
  std::vector<std::string> unpriced_models;  // the file's models whose price is unknown
  // Dedup over the whole batch (earlier runs included), once it completes: lines answered with an
  // identical line's answer instead of being sent, and what sending them would have cost.
  std::int64_t dedup_requests_saved = 0;
  double dedup_saved_usd = 0;
  std::optional<DryRunPlan> plan;            // a dry run's figures per mode
  std::optional<std::string> paused;         // kPausedForBudget: why
};

// Called on the run's thread every progress_interval with the counters and the time elapsed.
using ProgressCallback = std::function<void(const scheduler::Progress&, Duration elapsed)>;

// Opens the embedded store in config.store.data_dir (not for a dry run) and runs on it.
Result<RunReport> RunBatchFile(const config::Config& config, const RunRequest& request,
                               const ProgressCallback& on_progress);
// Runs on `store`. Its transient failures are waited out (outside the dispatcher with `retry`,
// inside with the dispatcher's own backoff); a permanent one ends the run with that error, and
// a rerun resumes.
Result<RunReport> RunBatchFile(const config::Config& config, const RunRequest& request,
                               store::Store& store, TransientRetry& retry,
                               const ProgressCallback& on_progress);

}  // namespace sluice::runtime
