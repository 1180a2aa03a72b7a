// `sluice files list|get|upload|delete|content`: the Files API of a running gateway from the
// command line (remote_flags.h for --url, --api-key, --json, --table).
#pragma once

#include <string>

#include "cli/command_context.h"
#include "cli/remote_flags.h"

namespace CLI {
class App;
}  // namespace CLI

namespace sluice::cli {

struct FilesFlags {
  RemoteFlags remote;
  std::string id;                // get, delete, content: FILE_ID
  std::string path;              // upload: FILE
  std::string purpose = "batch";  // upload; list: a filter when set there
  std::string list_purpose;      // list --purpose
  int limit = 20;                // list
  std::string after;             // list
  std::string output;            // content: where to write (required)
};

CLI::App* AddFilesCommand(CLI::App& app, FilesFlags& flags);

// 0 on success; 1 when the gateway refused or could not be reached.
int RunFilesCommand(const CLI::App& command, const FilesFlags& flags, CommandContext& ctx);

}  // namespace sluice::cli
