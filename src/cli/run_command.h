// `sluice run FILE --output OUT`: runs a JSONL batch file end to end on the embedded store:
// validate, queue durably, send within the configured limits, write OpenAI-format results.
// Resumable after a crash or Ctrl-C by running the same command again.
#pragma once

#include <string>

#include "cli/command_context.h"

namespace CLI {
class App;
}  // namespace CLI

namespace sluice::cli {

// Ctrl-C / SIGTERM: what finished is saved; a rerun resumes.
inline constexpr int kExitInterrupted = 130;

struct RunFlags {
  std::string input;         // FILE: the JSONL requests
  std::string output;        // --output: results (and failures, without --errors)
  std::string errors;        // --errors: failed requests; empty: into --output
  bool dry_run = false;      // --dry-run: validate and estimate, send nothing
  bool skip_invalid = false; // --skip-invalid: invalid lines become error lines
  bool force = false;        // --force: run a file that already completed again
  std::string dedup;         // --dedup off|auto|always: over the config's dedup; empty: the config
  std::string send_order = "prefix";  // --send-order prefix|input
  std::string max_cost;      // --max-cost USD: the batch's cost cap; empty: none
  std::string mode;          // --mode: realtime, provider or auto; empty: the config's batch_mode
  std::string completion_window = "24h";  // --completion-window: the batch's time to finish
};

// Adds the "run" subcommand writing into `flags`.
CLI::App* AddRunCommand(CLI::App& app, RunFlags& flags);

// Runs it: 0 when every line has a result (some may be failures), 1 when the run could not
// finish (invalid input, a store or file error, paused at --max-cost), 2 for usage or config
// errors, 130 when interrupted.
int RunRunCommand(const RunFlags& flags, CommandContext& ctx);

}  // namespace sluice::cli
