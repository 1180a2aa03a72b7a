#include "cli/files_command.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include "cli/api_views.h"

namespace sluice::cli {
namespace json = boost::json;
namespace {

constexpr const char* kCommand = "files";

int List(ApiClient& api, const FilesFlags& flags, CommandContext& ctx) {
  std::string path = "/v1/files?limit=" + std::to_string(flags.limit);
  if (!flags.after.empty()) path += "&after=" + flags.after;
  if (!flags.list_purpose.empty()) path += "&purpose=" + flags.list_purpose;
  auto answer = api.Call("GET", path);
  if (!answer.ok()) return Fail(ctx, kCommand, answer.status());
  std::vector<TableRow> rows;
  if (answer->is_object()) {
    const json::value* data = answer->get_object().if_contains("data");
    if (data != nullptr && data->is_array()) {
      for (const json::value& file : data->get_array()) {
        if (file.is_object()) rows.push_back(FileRow(file.get_object()));
      }
    }
  }
  PrintAnswer(ctx, flags.remote, *answer, FormatTable(FileListHeader(), rows));
  return kExitOk;
}

}  // namespace

CLI::App* AddFilesCommand(CLI::App& app, FilesFlags& flags) {
  CLI::App* cmd = app.add_subcommand("files", "The Files API of a running gateway");
  cmd->require_subcommand(1);
  cmd->fallthrough();
  AddRemoteOptions(*cmd, flags.remote);
  CLI::App* list = cmd->add_subcommand("list", "List files, newest first");
  list->add_option("--purpose", flags.list_purpose, "Only files of this purpose");
  list->add_option("--limit", flags.limit, "How many (1-10000)")->check(CLI::Range(1, 10000));
  list->add_option("--after", flags.after, "Start after this file id");
  cmd->add_subcommand("get", "Show one file")
      ->add_option("FILE_ID", flags.id, "The file")
      ->required();
  CLI::App* upload = cmd->add_subcommand("upload", "Upload a file");
  upload->add_option("FILE", flags.path, "The file to upload")->required()->check(CLI::ExistingFile);
  upload->add_option("--purpose", flags.purpose, "As OpenAI's (default batch)");
  cmd->add_subcommand("delete", "Delete a file")
      ->add_option("FILE_ID", flags.id, "The file")
      ->required();
  CLI::App* content = cmd->add_subcommand("content", "Write a file's content");
  content->add_option("FILE_ID", flags.id, "The file")->required();
  content->add_option("--output,-o", flags.output, "Where to write it")->required();
  return cmd;
}

int RunFilesCommand(const CLI::App& command, const FilesFlags& flags, CommandContext& ctx) {
  ApiClient api(TargetOf(flags.remote));
  if (command.got_subcommand("list")) return List(api, flags, ctx);
  if (command.got_subcommand("content")) {
    auto bytes = api.Download("/v1/files/" + flags.id + "/content", flags.output);
    if (!bytes.ok()) return Fail(ctx, kCommand, bytes.status());
    ctx.out << "wrote " << *bytes << " bytes to " << flags.output << std::endl;
    return kExitOk;
  }
  Result<json::value> answer = command.got_subcommand("upload")
                                   ? api.Upload(flags.path, flags.purpose)
                               : command.got_subcommand("delete")
                                   ? api.Call("DELETE", "/v1/files/" + flags.id)
                                   : api.Call("GET", "/v1/files/" + flags.id);
  if (!answer.ok()) return Fail(ctx, kCommand, answer.status());
  std::string table;
  if (answer->is_object()) {
    table = command.got_subcommand("delete") ? "deleted " + Text(answer->get_object(), "id") + "\n"
                                             : FileDetails(answer->get_object());
  }
  PrintAnswer(ctx, flags.remote, *answer, table);
  return kExitOk;
}

}  // namespace sluice::cli
