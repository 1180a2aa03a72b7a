#include "cli/run_command.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>

#include "cli/progress_line.h"
#include "common/duration.h"
#include "cost/budget.h"
#include "runtime/batch_run.h"
#include "runtime/data_dir_lock.h"
#include "tokens/tokenizers.h"

namespace sluice::cli {
namespace {

constexpr const char* kRunHelp =
    "Run a JSONL batch file (OpenAI batch input format) to the end.\n"
    "Exit status: 0 every line has a result (some may be failures); 1 the run could not finish\n"
    "(invalid lines without --skip-invalid, a store or file error, paused at --max-cost);\n"
    "2 usage or config error;\n"
    "130 interrupted (what finished is saved: run the same command again to resume).";

void PrintInvalid(const batch::IngestReport& ingest, std::ostream& err) {
  for (const batch::LineError& e : ingest.errors) {
    err << "line " << e.line << ": " << e.code << ": " << e.message << "\n";
  }
  if (ingest.invalid > static_cast<std::int64_t>(ingest.errors.size())) {
    err << "... and " << ingest.invalid - static_cast<std::int64_t>(ingest.errors.size())
        << " more invalid lines\n";
  }
}

runtime::RunRequest RequestFrom(const RunFlags& flags, bool tty,
                                const tokens::Tokenizers& tokenizers) {
  runtime::RunRequest request;
  request.tokenizers = &tokenizers;
  request.input_path = flags.input;
  request.output_path = flags.output;
  if (!flags.errors.empty()) request.errors_path = flags.errors;
  request.dry_run = flags.dry_run;
  request.skip_invalid = flags.skip_invalid;
  request.force = flags.force;
  if (!flags.dedup.empty()) request.dedup = batch::ParseDedupMode(flags.dedup);  // checked
  request.group_by_prefix = flags.send_order == "prefix";
  request.progress_interval = tty ? std::chrono::milliseconds(250) : std::chrono::seconds(5);
  return request;
}

}  // namespace

CLI::App* AddRunCommand(CLI::App& app, RunFlags& flags) {
  CLI::App* cmd = app.add_subcommand("run", kRunHelp);
  cmd->add_option("FILE", flags.input, "JSONL file of requests")->required();
  cmd->add_option("--output,-o", flags.output, "Where to write the results")->required();
  cmd->add_option("--errors", flags.errors, "Where to write failed requests (default: --output)");
  cmd->add_flag("--dry-run", flags.dry_run, "Validate, count tokens and estimate; send nothing");
  cmd->add_flag("--skip-invalid", flags.skip_invalid,
                "Write invalid lines as errors and run the rest (default: stop before sending)");
  cmd->add_flag("--force", flags.force, "Run again a file that already completed");
  cmd->add_option("--dedup", flags.dedup,
                  "Which identical lines are sent once: off, auto (embeddings, temperature 0), "
                  "always (default: the config's dedup)")
      ->check(CLI::IsMember({"off", "auto", "always"}));
  cmd->add_option("--send-order", flags.send_order,
                  "prefix: lines sharing a long prompt prefix are sent together, so the "
                  "provider's prompt cache serves them; input: in file order (output is in "
                  "input order either way)")
      ->check(CLI::IsMember({"prefix", "input"}))
      ->capture_default_str();
  cmd->add_option("--max-cost", flags.max_cost,
                  "Stop sending once the batch (earlier runs included) would cost more than USD "
                  "dollars; run again with a higher cap to go on");
  cmd->add_option("--completion-window", flags.completion_window,
                  "The time the batch has from its first run, e.g. 24h or 30m: auto weighs it, "
                  "and provider mode moves unfinished lines to real time in time to meet it")
      ->capture_default_str();
  cmd->add_option("--mode", flags.mode,
                  "realtime (send each request now), provider (the providers' own batch APIs, "
                  "half price, within 24h) or auto (default: the config's batch_mode)");
  return cmd;
}

int RunRunCommand(const RunFlags& flags, CommandContext& ctx) {
  std::optional<std::int64_t> max_cost;
  if (!flags.max_cost.empty()) {
    Result<std::int64_t> parsed = cost::ParseUsd(flags.max_cost);
    if (!parsed.ok()) {
      ctx.err << "sluice run: --max-cost: " << parsed.status().message() << std::endl;
      return kExitUsage;
    }
    max_cost = *parsed;
  }
  std::optional<config::BatchMode> mode;
  if (!flags.mode.empty()) {
    mode = config::ParseBatchMode(flags.mode);
    if (!mode) {
      ctx.err << "sluice run: unknown --mode '" << flags.mode
              << "' (allowed: " << config::kAllowedBatchModes << ")" << std::endl;
      return kExitUsage;
    }
  }
  Result<Duration> window = ParseDuration(flags.completion_window);
  if (!window.ok() || *window <= Duration::zero()) {
    ctx.err << "sluice run: --completion-window: '" << flags.completion_window
            << "' is not a duration such as 24h, 90m or 30s" << std::endl;
    return kExitUsage;
  }
  auto config = LoadConfig(ctx.global);
  if (!config.ok()) {
    ctx.err << config.status().message() << std::endl;
    return kExitUsage;
  }
  // One process per data_dir, from before the store opens to the end of the run. A dry run
  // opens no store, so it may run beside a process that holds it.
  std::optional<runtime::DataDirLock> lock;
  if (!flags.dry_run) {
    auto acquired = runtime::DataDirLock::Acquire(config->store.data_dir);
    if (!acquired.ok()) {
      ctx.err << "sluice: " << acquired.status().message() << std::endl;
      return kExitFailure;
    }
    lock = std::move(acquired).value();
  }
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  // Loads in the background while the config and the store open; ingest waits for it.
  auto tokenizers = tokens::Tokenizers::Open(tokens::Tokenizers::DefaultDirectories());
  ProgressLine progress(ctx.err, tty);
  runtime::RunRequest request = RequestFrom(flags, tty, *tokenizers);
  request.max_cost_nanousd = max_cost;
  request.mode = mode;
  request.completion_window = *window;
  auto report = runtime::RunBatchFile(
      *config, request,
      [&](const scheduler::Progress& p, Duration elapsed) { progress.Update(p, elapsed); });
  progress.Clear();
  if (!report.ok()) {
    ctx.err << "sluice run: " << report.status().message() << std::endl;
    return kExitFailure;
  }
  switch (report->outcome) {
    case runtime::RunOutcome::kDryRun:
      ctx.out << DryRunSummary(*report) << std::flush;
      return report->ingest.invalid > 0 ? (PrintInvalid(report->ingest, ctx.err), kExitFailure)
                                        : kExitOk;
    case runtime::RunOutcome::kAlreadyDone:
      ctx.out << "sluice run: " << flags.input << " already completed as " << report->batch_id
              << "; nothing to do (use --force to run it again)" << std::endl;
      return kExitOk;
    case runtime::RunOutcome::kInvalidInput:
      PrintInvalid(report->ingest, ctx.err);
      ctx.err << "sluice run: " << report->ingest.invalid
              << " invalid lines; nothing was sent (fix them, or use --skip-invalid)" << std::endl;
      return kExitFailure;
    case runtime::RunOutcome::kInterrupted:
      ctx.out << RunSummary(*report) << std::flush;
      ctx.err << "sluice run: interrupted; results so far are saved; run the same command to "
                 "resume"
              << std::endl;
      return kExitInterrupted;
    case runtime::RunOutcome::kPausedForBudget:
      ctx.out << RunSummary(*report) << std::flush;
      ctx.err << "sluice run: " << report->paused.value_or("paused for budget")
              << "; nothing more was sent and what finished is saved: run the same command with "
                 "a higher --max-cost to go on"
              << std::endl;
      return kExitFailure;
    case runtime::RunOutcome::kCompleted:
      ctx.out << RunSummary(*report) << std::flush;
      return kExitOk;
  }
  return kExitFailure;
}

}  // namespace sluice::cli
