// What every command that talks to a running gateway shares (`sluice batches`, `sluice files`):
// where it is (--url, else SLUICE_URL, else http://127.0.0.1:8080), the key (--api-key, else
// SLUICE_API_KEY), and how answers are printed: tables on a terminal, JSON otherwise (--json,
// --table force one). Used on main's thread only.
#pragma once

#include <boost/json/value.hpp>
#include <string>

#include "cli/api_client.h"
#include "cli/command_context.h"
#include "common/status.h"

namespace CLI {
class App;
}  // namespace CLI

namespace sluice::cli {

struct RemoteFlags {
  std::string url;      // --url
  std::string api_key;  // --api-key
  bool json = false;    // --json
  bool table = false;   // --table
};

// Adds --url, --api-key, --json and --table to `command`.
void AddRemoteOptions(CLI::App& command, RemoteFlags& flags);

// The gateway and key: flags over the environment over the default.
ApiTarget TargetOf(const RemoteFlags& flags);

// Whether to print tables (a terminal on stdout, unless --json) rather than JSON.
bool PrintsTables(const RemoteFlags& flags);

// Prints `answer` on ctx.out: `table` (its rendering) when PrintsTables, else its JSON on one line.
void PrintAnswer(CommandContext& ctx, const RemoteFlags& flags, const boost::json::value& answer,
                 const std::string& table);

// Prints "sluice <command>: <message>" and returns kExitFailure.
int Fail(CommandContext& ctx, const std::string& command, const Status& status);

}  // namespace sluice::cli
