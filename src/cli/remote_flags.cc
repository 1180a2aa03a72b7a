#include "cli/remote_flags.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <iostream>

namespace sluice::cli {

void AddRemoteOptions(CLI::App& command, RemoteFlags& flags) {
  command.add_option("--url", flags.url,
                     "The gateway (default: $SLUICE_URL, else http://127.0.0.1:8080)");
  command.add_option("--api-key", flags.api_key, "A gateway key (default: $SLUICE_API_KEY)");
  auto* json = command.add_flag("--json", flags.json, "Print the API's JSON answers");
  command.add_flag("--table", flags.table, "Print tables even when stdout is not a terminal")
      ->excludes(json);
}

ApiTarget TargetOf(const RemoteFlags& flags) {
  ApiTarget target;
  const char* url = std::getenv("SLUICE_URL");
  const char* key = std::getenv("SLUICE_API_KEY");
  if (!flags.url.empty()) {
    target.url = flags.url;
  } else if (url != nullptr && *url != '\0') {
    target.url = url;
  }
  if (!flags.api_key.empty()) {
    target.api_key = flags.api_key;
  } else if (key != nullptr) {
    target.api_key = key;
  }
  return target;
}

bool PrintsTables(const RemoteFlags& flags) {
  if (flags.json) return false;
  return flags.table || ::isatty(STDOUT_FILENO) != 0;
}

void PrintAnswer(CommandContext& ctx, const RemoteFlags& flags, const boost::json::value& answer,
                 const std::string& table) {
  ctx.out << (PrintsTables(flags) ? table : boost::json::serialize(answer) + "\n") << std::flush;
}

int Fail(CommandContext& ctx, const std::string& command, const Status& status) {
  ctx.err << "sluice " << command << ": " << status.message() << std::endl;
  return kExitFailure;
}

}  // namespace sluice::cli
