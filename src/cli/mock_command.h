// `sluice mock`: runs the mock provider (mock/mock_provider.h) in the foreground until SIGINT or
// SIGTERM, then drains it. Runs on main's thread with a one-thread io_context.
#pragma once

#include <string>

#include "cli/command_context.h"
#include "mock/mock_provider.h"

namespace CLI {
class App;
}  // namespace CLI

namespace sluice::cli {

struct MockFlags {
  mock::MockOptions options;                // host, port, seed, rpm, tpm, jitter, faults, api key
  std::string time_to_first_byte = "0";     // --ttfb, a duration ("300ms")
  std::string time_per_output_token = "0";  // --per-token, a duration
  std::string prompt_cache_ttl = "5m";      // --prompt-cache-ttl, a duration
  std::string api_key;                      // --api-key; empty: any key is accepted
  std::string batch_turnaround = "0";       // --batch-turnaround, a duration
  std::string batch_window = "24h";         // --batch-window, a duration
};

// Adds the "mock" subcommand writing into `flags` (which must outlive `app`'s parse).
CLI::App* AddMockCommand(CLI::App& app, MockFlags& flags);

// Starts the mock, prints ListeningLine to ctx.out, serves until a signal, drains. Returns
// kExitOk after a drain, kExitUsage for invalid options, kExitFailure when it cannot listen or
// the drain was cut short.
int RunMockCommand(const MockFlags& flags, CommandContext& ctx);

}  // namespace sluice::cli
