#include "runtime/batch_run.h"

#include <sys/stat.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <map>
#include <random>

#include "runtime/provider_targets.h"
#include "runtime/mode_decision.h"
#include "runtime/run_mode.h"
#include "runtime/run_report.h"
#include "runtime/store_retry.h"
#include "runtime/targets.h"
#include "store/sqlite/sqlite_store.h"

namespace sluice::runtime {
namespace asio = boost::asio;
namespace {

Result<std::unique_ptr<store::Store>> OpenStore(const config::Config& config) {
  std::error_code ec;
  std::filesystem::create_directories(config.store.data_dir, ec);
  if (ec) {
    return UnavailableError("cannot create data_dir " + config.store.data_dir + ": " +
                            ec.message());
  }
  SLUICE_ASSIGN_OR_RETURN(auto store,
                          store::sqlite::SqliteStore::Open(config.store.data_dir + "/sluice.db"));
  return std::unique_ptr<store::Store>(std::move(store));
}

// What identifies "the same input file": its real path, size and modification time.
Result<std::string> Fingerprint(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return NotFoundError("cannot read " + path + ": " + std::strerror(errno));
  }
  std::error_code ec;
  std::string real = std::filesystem::canonical(path, ec).string();
  return "file:" + (ec ? path : real) + ":" + std::to_string(info.st_size) + ":" +
         std::to_string(info.st_mtim.tv_sec) + "." + std::to_string(info.st_mtim.tv_nsec);
}

std::string NewBatchId() {
  std::random_device random;
  char id[32];
  std::snprintf(id, sizeof id, "batch_%08x%08x%08x", random(), random(), random());
  return id;
}

batch::IngestOptions IngestOptionsFor(const config::Config& config, const RunRequest& request) {
  batch::IngestOptions options;
  options.estimate.tokenizers = request.tokenizers;
  options.estimate.counted_as = CountedAs(config);
  options.dedup = request.dedup.value_or(config.dedup);
  std::vector<std::string> names = config.ModelNames();
  options.rules.model_known = [names](std::string_view model) {
    return std::find(names.begin(), names.end(), model) != names.end();
  };
  return options;
}

batch::ResultRecord InvalidLineResult(const batch::LineError& error) {
  batch::ResultRecord result;
  result.index = error.line - 1;
  result.custom_id = error.custom_id;
  result.error_code = error.code;
  result.error_message = "line " + std::to_string(error.line) + ": " + error.message;
  return result;
}

}  // namespace

namespace {

// Ingests the file into `batch_id` (repeatable: items already there are kept as they are).
// With skip_invalid, invalid lines are recorded as their error results.
Result<batch::IngestReport> Ingest(const config::Config& config, const RunRequest& request,
                                   store::Store& store, TransientRetry& retry,
                                   const std::string& batch_id) {
  batch::IngestSinks sinks;
  sinks.items = [&](std::vector<batch::NewItem> items) {
    return RetryTransient(retry, [&] { return store.AddItems(batch_id, items); });
  };
  if (request.skip_invalid) {
    sinks.errors = [&](const batch::LineError& error) {
      return RetryTransient(retry,
                            [&] { return store.AddResults(batch_id, {InvalidLineResult(error)}); });
    };
  }
  return batch::IngestFile(request.input_path, IngestOptionsFor(config, request), sinks);
}

// What drives a batch on the run's loop: the real-time dispatcher or provider mode.
struct Engine {
  std::function<asio::awaitable<Status>()> run;
  std::function<void()> stop;
  std::function<scheduler::Progress()> progress;
};

// Runs `engine` on `io` (this thread) until it ends or a signal stops it: the first signal
// stops it and lets what is in flight finish (up to drain_timeout), a second stops waiting.
Status Drive(asio::io_context& io, const RunRequest& request, const ProgressCallback& on_progress,
             bool& interrupted, const Engine& engine) {
  TimePoint start = SystemClock::Instance().Now();
  asio::steady_timer ticker(io);
  std::function<void()> tick = [&] {
    ticker.expires_after(request.progress_interval);
    ticker.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      if (on_progress) on_progress(engine.progress(), SystemClock::Instance().Now() - start);
      tick();
    });
  };
  tick();

  asio::signal_set signals(io, SIGINT, SIGTERM);
  asio::steady_timer drain_deadline(io);
  signals.async_wait([&](boost::system::error_code ec, int) {
    if (ec) return;
    interrupted = true;
    engine.stop();
    signals.async_wait([&](boost::system::error_code again, int) {
      if (!again) io.stop();  // a second signal: stop waiting for requests in flight
    });
    drain_deadline.expires_after(request.drain_timeout);
    drain_deadline.async_wait([&](boost::system::error_code late) {
      if (!late) io.stop();
    });
  });

  Status outcome = CancelledError("stopped before the batch's engine finished");
  auto run = [&]() -> asio::awaitable<void> {
    outcome = co_await engine.run();
    ticker.cancel();
    signals.cancel();
    drain_deadline.cancel();
  };
  asio::co_spawn(io, run(), asio::detached);
  io.run();
  if (!outcome.ok() && !(interrupted && outcome.code() == StatusCode::kCancelled)) return outcome;
  return OkStatus();
}

std::unique_ptr<http::Client> MakeClient(asio::io_context& io,
                                         const std::vector<scheduler::Target>& targets) {
  http::ClientOptions client_options;
  client_options.max_connections_per_origin = 0;
  for (const auto& t : targets) {
    client_options.max_connections_per_origin += static_cast<std::size_t>(t.limits.max_in_flight);
  }
  return http::Client::Create(io.get_executor(), client_options);
}

// Runs the dispatcher on this thread until done or stopped by a signal.
Result<scheduler::Progress> Dispatch(const config::Config& config, const RunRequest& request,
                                     store::Store& store, const std::string& batch_id,
                                     const ProgressCallback& on_progress, bool& interrupted,
                                     std::optional<std::string>& paused) {
  SLUICE_ASSIGN_OR_RETURN(auto targets, Targets(config, SystemClock::Instance()));
  asio::io_context io(1);
  asio::thread_pool store_thread(1);
  auto client = MakeClient(io, targets);
  scheduler::DispatcherOptions options;
  options.retry.max_attempts = static_cast<int>(config.retry.max_attempts);
  options.retry.base_delay = config.retry.base_delay;
  options.retry.max_delay = config.retry.max_delay;
  options.fallbacks = FallbacksOf(config);
  options.group_by_prefix = request.group_by_prefix;
  scheduler::Dispatcher dispatcher(io.get_executor(), store_thread.get_executor(),
                                   SystemClock::Instance(), store, *client, std::move(targets),
                                   options);
  auto run_batch = [&] {
    scheduler::BatchSpec spec{batch_id, "", scheduler::Priority::kNormal, request.max_cost_nanousd,
                              true};
    return dispatcher.RunOnly(std::move(spec));
  };
  Engine engine{run_batch, [&] { dispatcher.Stop(); }, [&] { return dispatcher.progress(); }};
  Status driven = Drive(io, request, on_progress, interrupted, engine);
  // At its cost cap (the only reason RunBatch gives for kResourceExhausted: a full disk is waited
  // out): what finished is saved.
  if (driven.code() == StatusCode::kResourceExhausted) {
    paused = driven.message();
    return dispatcher.progress();
  }
  SLUICE_RETURN_IF_ERROR(driven);
  return dispatcher.progress();
}

// Runs the batch through the providers' batch APIs on this thread until every line has a result
// or a signal stops it (its provider batches stay recorded: a rerun polls them again).
// Stops with the reason in `moved` when the deadline makes it move the unfinished lines to real
// time, and in `paused` when the cost cap leaves no room for the next provider batch.
struct ProviderStop {
  std::optional<std::string> moved;
  std::optional<std::string> paused;
};
Result<provider_batch::ProviderProgress> RunProviderMode(
    const config::Config& config, const RunRequest& request, store::Store& store,
    batch::BatchRecord& record, const ProgressCallback& on_progress, bool& interrupted,
    ProviderStop& stop) {
  SLUICE_ASSIGN_OR_RETURN(provider_batch::ProviderBatchState state,
                          provider_batch::ReadState(record.data));
  SLUICE_ASSIGN_OR_RETURN(auto targets, Targets(config, SystemClock::Instance()));
  asio::io_context io(1);
  asio::thread_pool store_thread(1);
  auto client = MakeClient(io, targets);
  provider_batch::ProviderBatchRunner runner(
      io.get_executor(), store_thread.get_executor(), SystemClock::Instance(), store,
      ProviderTargets(config, targets, *client), config.provider_batches);
  std::optional<api::ModeDecision> decision = ModeDecisionIn(record.data);
  if (decision) runner.SetDeadline(DeadlineOf(config, decision->deadline, {}));
  runner.SetBudget(request.max_cost_nanousd);
  provider_batch::ProviderBatchRunner::RecordOf record_of =
      [&record](const provider_batch::ProviderBatchState& now) {
        record.data = provider_batch::WriteState(record.data, now);
        return record;
      };
  Engine engine{[&] { return runner.Run(record.id, state, record_of); }, [&] { runner.Stop(); },
                [&] { return ProgressOf(runner.progress()); }};
  Status driven = Drive(io, request, on_progress, interrupted, engine);
  if (driven.code() == StatusCode::kAborted && runner.moved()) {
    stop.moved = runner.moved();
    return runner.progress();
  }
  if (driven.code() == StatusCode::kResourceExhausted) {
    stop.paused = driven.message();
    return runner.progress();
  }
  SLUICE_RETURN_IF_ERROR(driven);
  return runner.progress();
}

}  // namespace

namespace {

// Validates and estimates; nothing is stored or sent.
Result<RunReport> DryRun(const config::Config& config, const RunRequest& request) {
  RunReport report;
  SLUICE_ASSIGN_OR_RETURN(
      report.ingest, batch::IngestFile(request.input_path, IngestOptionsFor(config, request), {}));
  report.outcome = RunOutcome::kDryRun;
  report.estimated_duration = MinimumDuration(config, report.ingest);
  PriceReport(config, report, {});
  report.plan = PlanDryRun(config, report.ingest, std::chrono::hours(24));
  return report;
}

}  // namespace

Result<RunReport> RunBatchFile(const config::Config& config, const RunRequest& request,
                               const ProgressCallback& on_progress) {
  if (request.dry_run) return DryRun(config, request);
  SLUICE_ASSIGN_OR_RETURN(auto store, OpenStore(config));
  TransientRetry retry;
  return RunBatchFile(config, request, *store, retry, on_progress);
}

namespace {

// The batch's mode (ModeForRun), saved in its record and logged.
template <typename Save>
Result<api::ModeDecision> Decide(const config::Config& config, const RunRequest& request,
                                 const batch::IngestReport& ingest, batch::BatchRecord& record,
                                 Save& save) {
  api::ModeDecision decision = ModeForRun(
      config, {request.mode, request.completion_window, SystemClock::Instance().WallNow()}, record,
      ingest);
  record.data = WithModeDecision(record.data, decision);
  SLUICE_RETURN_IF_ERROR(save(record));
  // The summary says it too; the log only tells what `auto` decided.
  if (decision.requested == config::BatchMode::kAuto) {
    spdlog::info("batch {}: {}", record.id, api::DescribeModeDecision(decision));
  }
  return decision;
}

}  // namespace

Result<RunReport> RunBatchFile(const config::Config& config, const RunRequest& request,
                               store::Store& store, TransientRetry& retry,
                               const ProgressCallback& on_progress) {
  if (request.dry_run) return DryRun(config, request);
  TimePoint start = SystemClock::Instance().Now();
  RunReport report;
  SLUICE_ASSIGN_OR_RETURN(std::string fingerprint, Fingerprint(request.input_path));
  SLUICE_ASSIGN_OR_RETURN(std::optional<batch::BatchRecord> existing, RetryTransient(retry, [&] {
                            return store.FindBatchByFingerprint(fingerprint);
                          }));
  auto save = [&](const batch::BatchRecord& record) {
    return RetryTransient(retry, [&] { return store.UpdateBatch(record); });
  };
  if (existing && existing->status == "completed" && !request.force) {
    // Nothing to send, but the results are asked for here (perhaps at another path): write them.
    SLUICE_RETURN_IF_ERROR(WriteResults(store, retry, existing->id, request, report));
    report.outcome = RunOutcome::kAlreadyDone;
    report.batch_id = existing->id;
    return report;
  }
  batch::BatchRecord record;
  if (existing && !request.force) {
    record = *existing;  // validating, in_progress or failed: carry on where it stopped
    report.resumed = record.status == "in_progress";
  } else {
    record = {NewBatchId(), fingerprint, "validating", SystemClock::Instance().WallNow(), "{}", ""};
    SLUICE_RETURN_IF_ERROR(RetryTransient(retry, [&] { return store.CreateBatch(record); }));
  }
  report.batch_id = record.id;
  SLUICE_ASSIGN_OR_RETURN(report.ingest, Ingest(config, request, store, retry, record.id));
  report.estimated_duration = MinimumDuration(config, report.ingest);
  if (report.ingest.invalid > 0 && !request.skip_invalid) {
    record.status = "failed";
    SLUICE_RETURN_IF_ERROR(save(record));
    report.outcome = RunOutcome::kInvalidInput;
    return report;
  }
  record.status = "in_progress";
  SLUICE_RETURN_IF_ERROR(save(record));

  SLUICE_ASSIGN_OR_RETURN(api::ModeDecision decision,
                          Decide(config, request, report.ingest, record, save));
  report.mode = decision.chosen;
  bool interrupted = false;
  std::optional<provider_batch::ProviderProgress> provider;
  std::map<std::string, batch::Usage> realtime_usage;
  if (decision.chosen == config::BatchMode::kProvider && !decision.moved_at) {
    ProviderStop stop;
    SLUICE_ASSIGN_OR_RETURN(provider, RunProviderMode(config, request, store, record, on_progress,
                                                      interrupted, stop));
    report.paused = stop.paused;
    std::optional<std::string>& moved = stop.moved;
    report.progress = ProgressOf(*provider);
    report.progress.total = report.ingest.totals.requests;
    report.provider_batches = provider->submitted_batches;
    if (moved) {
      decision.moved_at = SystemClock::Instance().WallNow();
      decision.moved_reason = *moved;
      record.data = WithModeDecision(record.data, decision);
      SLUICE_RETURN_IF_ERROR(save(record));
    }
  }
  if (!interrupted && !report.paused &&
      (decision.chosen == config::BatchMode::kRealtime || decision.moved_at)) {
    SLUICE_ASSIGN_OR_RETURN(scheduler::Progress realtime,
                            Dispatch(config, request, store, record.id, on_progress, interrupted,
                                     report.paused));
    realtime_usage = realtime.usage_by_model;
    if (provider) AddProviderPart(realtime, report.progress);
    report.progress = std::move(realtime);
  }
  report.decision = decision;
  report.wall = SystemClock::Instance().Now() - start;
  PriceReport(config, report, realtime_usage);
  if (provider && report.cost) {
    // The provider's part at the batch discount, as each result was priced.
    report.cost = provider->unpriced > 0
                      ? std::nullopt
                      : std::optional<double>(*report.cost +
                                              static_cast<double>(provider->cost_nanousd) / 1e9);
  }
  if (interrupted || report.paused) {
    report.outcome = report.paused ? RunOutcome::kPausedForBudget : RunOutcome::kInterrupted;
    return report;
  }
  SLUICE_RETURN_IF_ERROR(WriteResults(store, retry, record.id, request, report));
  record.status = "completed";
  SLUICE_RETURN_IF_ERROR(save(record));
  report.outcome = RunOutcome::kCompleted;
  report.wall = SystemClock::Instance().Now() - start;
  return report;
}

}  // namespace sluice::runtime
