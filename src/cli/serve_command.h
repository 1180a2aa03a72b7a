// `sluice serve`: loads the config, serves the HTTP API on its `listen` address until SIGINT or
// SIGTERM, then drains. For now the API is health, readiness and the model list (api/).
// Runs on main's thread with a one-thread io_context.
#pragma once

#include <string>

#include "cli/command_context.h"

namespace CLI {
class App;
}  // namespace CLI

namespace sluice::cli {

struct ServeFlags {
  std::string listen;  // --listen HOST:PORT; empty: the config's `listen`
};

// Adds the "serve" subcommand writing into `flags`.
CLI::App* AddServeCommand(CLI::App& app, ServeFlags& flags);

// Returns kExitUsage for a bad config or --listen, or a non-loopback address without gateway keys
// (every problem printed to ctx.err),
// kExitFailure when it cannot listen or the drain was cut short, kExitOk after a drain.
int RunServeCommand(const ServeFlags& flags, CommandContext& ctx);

}  // namespace sluice::cli
