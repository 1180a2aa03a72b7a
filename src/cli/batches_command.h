// `sluice batches list|get|create|cancel|wait|download|set-budget`: the Batches API of a running
// gateway from the command line (remote_flags.h for --url, --api-key, --json, --table).
#pragma once

#include <string>
#include <vector>

#include "cli/command_context.h"
#include "cli/remote_flags.h"

namespace CLI {
class App;
}  // namespace CLI

namespace sluice::cli {

// `batches wait` when --timeout passes first (0-4: the batch's outcome, see WaitExitCode).
inline constexpr int kExitWaitTimeout = 5;

struct BatchesFlags {
  RemoteFlags remote;
  std::string id;                   // get, cancel, wait, download: BATCH_ID
  int limit = 20;                   // list
  std::string after;                // list
  std::string input_file_id;        // create
  std::string file;                 // create: a JSONL file to upload first
  std::string endpoint = "/v1/chat/completions";  // create
  std::string window = "24h";       // create: completion_window
  std::vector<std::string> metadata;  // create: KEY=VALUE
  std::string interval = "1s";      // wait: between looks
  std::string timeout;              // wait: give up after (empty: never)
  std::string output;               // download: the output file (default <id>_output.jsonl)
  std::string errors;               // download: the error file (default <id>_errors.jsonl)
  std::string max_cost;             // set-budget: USD, or "none"
};

CLI::App* AddBatchesCommand(CLI::App& app, BatchesFlags& flags);

// 0 on success; 1 when the gateway refused or could not be reached; `wait` exits with the
// batch's outcome (WaitExitCode) or kExitWaitTimeout.
int RunBatchesCommand(const CLI::App& command, const BatchesFlags& flags, CommandContext& ctx);

}  // namespace sluice::cli
