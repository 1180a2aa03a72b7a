// The sluice command line: global flags, the subcommands (serve, mock, run) and exit codes.
// apps/sluice/main.cc only calls RunCli. Runs on main's thread.
#pragma once

#include <ostream>

namespace sluice::cli {

// The version printed by `sluice --version` ("0.1.0"), from the CMake project version.
const char* Version();

// Parses `argv` and runs the chosen subcommand; returns the process exit code (command_context.h):
// 0 ok (including --help and --version, printed to `out`), 2 for usage and config errors, 1 for
// runtime failures. Usage errors are one line on `err`: "sluice: <problem>; see sluice --help".
int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace sluice::cli
