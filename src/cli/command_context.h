// What every subcommand gets from the top level: the global flags and where to print.
// Plain values; used on main's thread only.
#pragma once

#include <ostream>
#include <string>

#include "common/result.h"
#include "config/config.h"

namespace sluice::cli {

// Process exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // a runtime failure: port in use, unreadable TLS file...
inline constexpr int kExitUsage = 2;    // bad flags or a bad config file

// Flags accepted before or after the subcommand.
struct GlobalOptions {
  std::string config_path;  // --config; empty: DefaultConfig()
  std::string log_format;   // --log-format text|json; empty: from the config, else text
  std::string log_level;    // --log-level; empty: from the config, else info
};

struct CommandContext {
  GlobalOptions global;
  std::ostream& out;  // command output: the "listening on" line
  std::ostream& err;  // error lines for the user (logs go through spdlog to stderr)
};

// The log options in force: flags over `from_config`. Flag values were checked by the parser.
config::LogOptions EffectiveLogOptions(const GlobalOptions& global,
                                       const config::LogOptions& from_config);

// Loads --config with the process environment, or DefaultConfig() without --config.
Result<config::Config> LoadConfig(const GlobalOptions& global);

// "listening on http://127.0.0.1:8080" (IPv6 hosts in brackets).
std::string ListeningLine(const std::string& host, std::uint16_t port);

// "cannot listen on 127.0.0.1:8080: address already in use" for a failed bind.
std::string CannotListenMessage(const std::string& host, std::uint16_t port, const Status& error);

}  // namespace sluice::cli
