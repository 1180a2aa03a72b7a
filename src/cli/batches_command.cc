#include "cli/batches_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "cli/api_views.h"
#include "cli/duration_validator.h"
#include "common/duration.h"

namespace sluice::cli {
namespace json = boost::json;
namespace {

constexpr const char* kCommand = "batches";

std::string DetailsOf(const json::value& batch) {
  return batch.is_object() ? BatchDetails(batch.get_object()) : "";
}

int List(ApiClient& api, const BatchesFlags& flags, CommandContext& ctx) {
  std::string path = "/v1/batches?limit=" + std::to_string(flags.limit);
  if (!flags.after.empty()) path += "&after=" + flags.after;
  auto answer = api.Call("GET", path);
  if (!answer.ok()) return Fail(ctx, kCommand, answer.status());
  std::vector<TableRow> rows;
  std::string more;
  if (answer->is_object()) {
    const json::object& list = answer->get_object();
    if (const auto* data = list.if_contains("data"); data != nullptr && data->is_array()) {
      for (const json::value& batch : data->get_array()) {
        if (batch.is_object()) rows.push_back(BatchRow(batch.get_object()));
      }
    }
    const json::value* has_more = list.if_contains("has_more");
    if (has_more != nullptr && has_more->is_bool() && has_more->get_bool()) {
      more = "more: sluice batches list --after " + Text(list, "last_id") + "\n";
    }
  }
  PrintAnswer(ctx, flags.remote, *answer, FormatTable(BatchListHeader(), rows) + more);
  return kExitOk;
}

int Create(ApiClient& api, const BatchesFlags& flags, CommandContext& ctx) {
  std::string input = flags.input_file_id;
  if (!flags.file.empty()) {
    auto file = api.Upload(flags.file, "batch");
    if (!file.ok()) return Fail(ctx, kCommand, file.status());
    input = file->is_object() ? Text(file->get_object(), "id") : "";
  }
  if (input.empty()) {
    ctx.err << "sluice batches create: give --file FILE or --input-file-id ID" << std::endl;
    return kExitUsage;
  }
  json::object body{{"input_file_id", input},
                    {"endpoint", flags.endpoint},
                    {"completion_window", flags.window}};
  if (!flags.metadata.empty()) {
    json::object metadata;
    for (const std::string& pair : flags.metadata) {
      std::size_t equals = pair.find('=');
      if (equals == std::string::npos || equals == 0) {
        ctx.err << "sluice batches create: --metadata wants KEY=VALUE, got '" << pair << "'"
                << std::endl;
        return kExitUsage;
      }
      metadata[pair.substr(0, equals)] = pair.substr(equals + 1);
    }
    body["metadata"] = std::move(metadata);
  }
  auto batch = api.Call("POST", "/v1/batches", json::serialize(body));
  if (!batch.ok()) return Fail(ctx, kCommand, batch.status());
  PrintAnswer(ctx, flags.remote, *batch, DetailsOf(*batch));
  return kExitOk;
}

int Wait(ApiClient& api, const BatchesFlags& flags, CommandContext& ctx) {
  using Clock = std::chrono::steady_clock;
  Duration interval = *ParseDuration(flags.interval);  // checked by the parser
  std::optional<Clock::time_point> deadline;
  if (!flags.timeout.empty()) deadline = Clock::now() + *ParseDuration(flags.timeout);
  const bool live = ::isatty(STDERR_FILENO) != 0;
  std::optional<std::pair<Clock::time_point, std::int64_t>> first;  // when and how many done
  std::string last_line;
  while (true) {
    auto batch = api.Call("GET", "/v1/batches/" + flags.id);
    if (!batch.ok()) return Fail(ctx, kCommand, batch.status());
    const json::object& object = batch->is_object() ? batch->get_object() : json::object();
    std::string status = Text(object, "status");
    std::int64_t done =
        Number(object, "request_counts.completed") + Number(object, "request_counts.failed");
    auto now = Clock::now();
    if (!first) first.emplace(now, done);
    double seconds = std::chrono::duration<double>(now - first->first).count();
    double rate = seconds > 0 ? static_cast<double>(done - first->second) / seconds : 0;
    std::string line = WaitLine(object, rate);
    if (live) {
      ctx.err << "\r\033[K" << line << std::flush;
    } else if (line != last_line) {
      ctx.err << line << "\n" << std::flush;  // a log of changes, not a redrawn line
    }
    last_line = line;
    if (IsTerminal(status)) {
      if (live) ctx.err << "\n";
      PrintAnswer(ctx, flags.remote, *batch, DetailsOf(*batch));
      return WaitExitCode(status);
    }
    if (deadline && now + interval > *deadline) {
      if (live) ctx.err << "\n";
      ctx.err << "sluice batches wait: " << flags.id << " is still " << status << " after "
              << flags.timeout << std::endl;
      return kExitWaitTimeout;
    }
    std::this_thread::sleep_for(interval);
  }
}

int Download(ApiClient& api, const BatchesFlags& flags, CommandContext& ctx) {
  auto batch = api.Call("GET", "/v1/batches/" + flags.id);
  if (!batch.ok()) return Fail(ctx, kCommand, batch.status());
  const json::object& object = batch->is_object() ? batch->get_object() : json::object();
  struct Wanted {
    std::string file_id;
    std::string path;
  };
  std::vector<Wanted> wanted;
  for (auto [key, path, suffix] :
       {std::tuple{"output_file_id", flags.output, "_output.jsonl"},
        std::tuple{"error_file_id", flags.errors, "_errors.jsonl"}}) {
    std::string id = Text(object, key);
    if (id != "-") wanted.push_back({id, path.empty() ? flags.id + suffix : path});
  }
  if (wanted.empty()) {
    ctx.err << "sluice batches download: " << flags.id << " has no output file yet (it is "
            << Text(object, "status") << ")" << std::endl;
    return kExitFailure;
  }
  for (const Wanted& file : wanted) {
    auto bytes = api.Download("/v1/files/" + file.file_id + "/content", file.path);
    if (!bytes.ok()) return Fail(ctx, kCommand, bytes.status());
    ctx.out << "wrote " << *bytes << " bytes to " << file.path << "\n";
  }
  ctx.out << std::flush;
  return kExitOk;
}

// POST /v1/batches/{id}/budget: the gateway checks the amount and says what is wrong with it.
int SetBudget(ApiClient& api, const BatchesFlags& flags, CommandContext& ctx) {
  json::object body{{"max_cost_usd", flags.max_cost == "none" ? json::value(nullptr)
                                                              : json::value(flags.max_cost)}};
  auto batch = api.Call("POST", "/v1/batches/" + flags.id + "/budget", json::serialize(body));
  if (!batch.ok()) return Fail(ctx, kCommand, batch.status());
  PrintAnswer(ctx, flags.remote, *batch, DetailsOf(*batch));
  return kExitOk;
}

}  // namespace

CLI::App* AddBatchesCommand(CLI::App& app, BatchesFlags& flags) {
  CLI::App* cmd = app.add_subcommand("batches", "The Batches API of a running gateway");
  cmd->require_subcommand(1);
  cmd->fallthrough();
  AddRemoteOptions(*cmd, flags.remote);
  CLI::App* list = cmd->add_subcommand("list", "List batches, newest first");
  list->add_option("--limit", flags.limit, "How many (1-100)")->check(CLI::Range(1, 100));
  list->add_option("--after", flags.after, "Start after this batch id");
  cmd->add_subcommand("get", "Show one batch")
      ->add_option("BATCH_ID", flags.id, "The batch")
      ->required();
  CLI::App* create = cmd->add_subcommand("create", "Create a batch (uploading --file first)");
  auto* file = create->add_option("--file", flags.file, "A JSONL file of requests to upload");
  create->add_option("--input-file-id", flags.input_file_id, "An uploaded file's id")
      ->excludes(file);
  create->add_option("--endpoint", flags.endpoint, "The endpoint of every line");
  create->add_option("--completion-window", flags.window, "As OpenAI's (default 24h)");
  create->add_option("--metadata", flags.metadata, "KEY=VALUE (repeatable)");
  cmd->add_subcommand("cancel", "Cancel a batch")
      ->add_option("BATCH_ID", flags.id, "The batch")
      ->required();
  CLI::App* wait = cmd->add_subcommand(
      "wait", "Show a batch's progress until it ends; exit 0 completed, 1 failed, 3 expired, "
              "4 cancelled, 5 --timeout passed");
  wait->add_option("BATCH_ID", flags.id, "The batch")->required();
  wait->add_option("--interval", flags.interval, "Between looks (default 1s)")
      ->check(DurationValidator());
  wait->add_option("--timeout", flags.timeout, "Give up after this long")
      ->check(DurationValidator());
  CLI::App* download =
      cmd->add_subcommand("download", "Write a batch's output and error files");
  download->add_option("BATCH_ID", flags.id, "The batch")->required();
  download->add_option("--output,-o", flags.output, "Output file (default <id>_output.jsonl)");
  download->add_option("--errors", flags.errors, "Error file (default <id>_errors.jsonl)");
  CLI::App* budget = cmd->add_subcommand(
      "set-budget", "Change a batch's cost cap (a batch paused at its cap goes on)");
  budget->add_option("BATCH_ID", flags.id, "The batch")->required();
  budget->add_option("USD", flags.max_cost, "The new cap in US dollars, or none")->required();
  return cmd;
}

int RunBatchesCommand(const CLI::App& command, const BatchesFlags& flags, CommandContext& ctx) {
  ApiClient api(TargetOf(flags.remote));
  if (command.got_subcommand("list")) return List(api, flags, ctx);
  if (command.got_subcommand("create")) return Create(api, flags, ctx);
  if (command.got_subcommand("wait")) return Wait(api, flags, ctx);
  if (command.got_subcommand("download")) return Download(api, flags, ctx);
  if (command.got_subcommand("set-budget")) return SetBudget(api, flags, ctx);
  bool cancel = command.got_subcommand("cancel");
  auto batch = cancel ? api.Call("POST", "/v1/batches/" + flags.id + "/cancel")
                      : api.Call("GET", "/v1/batches/" + flags.id);
  if (!batch.ok()) return Fail(ctx, kCommand, batch.status());
  PrintAnswer(ctx, flags.remote, *batch, DetailsOf(*batch));
  return kExitOk;
}

}  // namespace sluice::cli
