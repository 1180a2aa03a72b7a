#include "cli/cli.h"

#include <CLI/CLI.hpp>
#include <cctype>
#include <string>

#include "cli/batches_command.h"
#include "cli/command_context.h"
#include "cli/files_command.h"
#include "cli/logging.h"
#include "cli/mock_command.h"
#include "cli/run_command.h"
#include "cli/serve_command.h"
#include "cli/version.h"

namespace sluice::cli {
namespace {

void AddGlobalOptions(CLI::App& app, GlobalOptions& global) {
  app.add_option("--config,-c", global.config_path, "YAML config file (default: built-in)");
  app.add_option("--log-format", global.log_format, "Log lines on stderr: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option("--log-level", global.log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "warning", "error", "off"}));
}

// CLI11's message for `e`, on one line, in our words where CLI11's are awkward.
std::string OneLineMessage(const CLI::ParseError& e) {
  std::string message = e.what();
  // get_name() is the subcommand's name for errors raised inside one; test the type instead.
  if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
    std::string args = message.substr(message.find("expected: ") + 10);
    message = (args.starts_with("-") ? "unknown option " : "unexpected argument ") + args;
  }
  for (char& c : message) {
    if (c == '\n') c = ' ';
  }
  // "The following..." reads better mid-sentence as "the following..."; "FILE is..." stays.
  if (message.size() > 1 && std::islower(static_cast<unsigned char>(message[1]))) {
    message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
  }
  return message;
}

// Help and version go to `out` with their own exit code (0); any other parse error is a usage
// error.
int ParseFailure(const CLI::App& app, const CLI::ParseError& e, std::ostream& out,
                 std::ostream& err) {
  if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e, out, err);
  err << "sluice: " << OneLineMessage(e) << "; see sluice --help" << std::endl;
  return kExitUsage;
}

}  // namespace

const char* Version() { return kVersion; }

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app("sluice: an AI API gateway for batch processing", "sluice");
  app.set_version_flag("--version", std::string("sluice ") + kVersion);
  // At most one; none is reported after parsing, so that an unknown flag is reported first.
  app.require_subcommand(0, 1);
  app.fallthrough();
  GlobalOptions global;
  AddGlobalOptions(app, global);
  ServeFlags serve_flags;
  MockFlags mock_flags;
  RunFlags run_flags;
  CLI::App* serve = AddServeCommand(app, serve_flags);
  CLI::App* mock = AddMockCommand(app, mock_flags);
  CLI::App* run = AddRunCommand(app, run_flags);
  BatchesFlags batches_flags;
  FilesFlags files_flags;
  CLI::App* batches = AddBatchesCommand(app, batches_flags);
  CLI::App* files = AddFilesCommand(app, files_flags);
  // CLI11 reports parse errors (and --help / --version) by throwing; this is the boundary.
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return ParseFailure(app, e, out, err);
  }
  ConfigureLogging(EffectiveLogOptions(global, config::LogOptions{}));
  CommandContext ctx{global, out, err};
  if (serve->parsed()) return RunServeCommand(serve_flags, ctx);
  if (mock->parsed()) return RunMockCommand(mock_flags, ctx);
  if (run->parsed()) return RunRunCommand(run_flags, ctx);
  if (batches->parsed()) return RunBatchesCommand(*batches, batches_flags, ctx);
  if (files->parsed()) return RunFilesCommand(*files, files_flags, ctx);
  err << "sluice: a subcommand is required (serve, mock, run, batches or files); see sluice --help"
      << std::endl;
  return kExitUsage;
}

}  // namespace sluice::cli
