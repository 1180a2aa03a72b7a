#include "api/batches_api.h"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <set>

#include "api/batch_mode.h"
#include "api/batch_object.h"
#include "api/errors.h"
#include "api/output_expires_after.h"
#include "api/sluice_metadata.h"
#include "batch/output_files.h"
#include "common/duration.h"
#include "common/ids.h"
#include "http/offload.h"
#include "http/sleep.h"
#include "scheduler/notifier.h"
#include "store/add_file.h"
#include "store/store_errors.h"

namespace sluice::api {
namespace asio = boost::asio;
namespace json = boost::json;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr std::string_view kSupportedEndpoints =
    "/v1/chat/completions, /v1/embeddings and /v1/completions";

std::optional<scheduler::Priority> ParsePriority(std::string_view name) {
  if (name == "high") return scheduler::Priority::kHigh;
  if (name == "normal") return scheduler::Priority::kNormal;
  if (name == "low") return scheduler::Priority::kLow;
  return std::nullopt;
}

// Checks metadata as OpenAI does (up to 16 string pairs, keys ≤ 64 and values ≤ 512
// characters) plus sluice's priority; the 400 for it when it does not pass.
std::optional<http::Response> CheckMetadata(const json::value& metadata) {
  if (metadata.is_null()) return std::nullopt;
  auto bad = [](std::string message) {
    return InvalidRequest(400, "Invalid 'metadata': " + std::move(message), "metadata");
  };
  if (!metadata.is_object()) return bad("expected an object of string values.");
  const json::object& pairs = metadata.get_object();
  if (pairs.size() > 16) return bad("at most 16 keys.");
  for (const auto& [key, value] : pairs) {
    if (key.size() > 64) return bad("keys are at most 64 characters.");
    if (!value.is_string()) return bad("values must be strings.");
    if (value.get_string().size() > 512) return bad("values are at most 512 characters.");
  }
  if (const json::value* priority = pairs.if_contains("priority")) {
    if (!ParsePriority(priority->get_string())) {
      return bad("priority must be high, normal or low.");
    }
  }
  if (const json::value* dedup = pairs.if_contains("sluice_dedup")) {
    if (!batch::ParseDedupMode(dedup->get_string())) {
      return bad("sluice_dedup must be off, auto or always.");
    }
  }
  return CheckSluiceMetadata(metadata);
}

// The batch's metadata.sluice_dedup, else `fallback` (the config's dedup).
batch::DedupMode DedupOf(const json::object& batch, batch::DedupMode fallback) {
  const json::value* metadata = batch.if_contains("metadata");
  if (metadata == nullptr || !metadata->is_object()) return fallback;
  const json::value* dedup = metadata->get_object().if_contains("sluice_dedup");
  if (dedup == nullptr || !dedup->is_string()) return fallback;
  return batch::ParseDedupMode(dedup->get_string()).value_or(fallback);
}

scheduler::Priority PriorityOf(const json::object& batch) {
  const json::value* metadata = batch.if_contains("metadata");
  if (metadata == nullptr || !metadata->is_object()) return scheduler::Priority::kNormal;
  const json::value* priority = metadata->get_object().if_contains("priority");
  if (priority == nullptr || !priority->is_string()) return scheduler::Priority::kNormal;
  return ParsePriority(priority->get_string()).value_or(scheduler::Priority::kNormal);
}

std::optional<json::object> ParseObject(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

bool IsJson(const http::Request& request) {
  auto type = request.headers.Get("content-type");
  return type && type->substr(0, type->find(';')) == "application/json";
}

// The id of a batch's output (or error) file: derived from the batch's, so a finalize repeated
// after a crash finds the file it added before instead of adding a second one.
std::string FileIdOf(std::string_view batch_id, std::string_view kind) {
  if (batch_id.starts_with("batch_")) batch_id.remove_prefix(6);
  return "file-" + std::string(batch_id) + "-" + std::string(kind);
}

// How long to wait before trying a batch's step again after a transient store failure.
Duration StepBackoff(int attempt) {
  Duration wait = std::chrono::milliseconds(100) * (1 << std::min(attempt, 7));
  return std::min<Duration>(wait, std::chrono::seconds(10));
}

// The batch as clients see it, naming its owner in sluice's own object, so that an admin's list
// says whose each batch is.
json::object Shown(json::object batch, const std::string& tenant) {
  json::object view = ClientView(std::move(batch));
  json::value& sluice = view["sluice"];
  if (!sluice.is_object()) sluice = json::object();
  sluice.as_object()["tenant"] = tenant;
  return view;
}

// What finalizing wrote.
struct Written {
  batch::OutputCounts counts;
  std::string output_file_id;
  std::string error_file_id;
};

}  // namespace

BatchesApi::BatchesApi(asio::any_io_executor io, asio::any_io_executor store_executor,
                       asio::any_io_executor ingest_executor, Clock& clock, store::Store& store,
                       const store::FileBodies& bodies, scheduler::Dispatcher& dispatcher,
                       BatchesApiOptions options)
    : io_(io),
      store_executor_(store_executor),
      ingest_executor_(ingest_executor),
      clock_(clock),
      store_(store),
      bodies_(bodies),
      dispatcher_(dispatcher),
      options_(std::move(options)) {}

asio::awaitable<Status> BatchesApi::Resume() {
  store::Store& store = store_;
  auto list = [&store] {
    return store.ListBatchesWithStatus({std::string(kValidating), std::string(kInProgress),
                                        std::string(kFinalizing), std::string(kCancelling)});
  };
  auto unfinished =
      co_await http::Offload<Result<std::vector<batch::BatchRecord>>>(store_executor_, io_, list);
  if (!unfinished.ok()) co_return unfinished.status();
  for (batch::BatchRecord& record : *unfinished) {
    std::optional<json::object> object = ParseObject(record.data);
    if (!object) {
      spdlog::error("batch {}: saved state is not readable; left as it is", record.id);
      continue;
    }
    std::string id = record.id;
    spdlog::info("resuming batch {} ({})", id, record.status);
    active_.emplace(id, Active{std::move(record), std::move(*object), false, nullptr});
    asio::co_spawn(io_, Drive(id), asio::detached);
  }
  co_return OkStatus();
}

asio::awaitable<http::Response> BatchesApi::Create(http::Request request, std::string tenant) {
  if (!IsJson(request)) co_return NotJson();
  std::optional<json::object> body = ParseObject(request.body);
  if (!body) co_return NotJson();
  auto required = [&](std::string_view name) -> std::optional<std::string> {
    const json::value* v = body->if_contains(name);
    if (v == nullptr || !v->is_string() || v->get_string().empty()) return std::nullopt;
    return std::string(v->get_string());
  };
  auto missing = [](std::string_view name) {
    return InvalidRequest(400, "Missing required parameter: '" + std::string(name) + "'.",
                          std::string(name), "missing_required_parameter");
  };
  auto input_file_id = required("input_file_id");
  if (!input_file_id) co_return missing("input_file_id");
  auto endpoint = required("endpoint");
  if (!endpoint) co_return missing("endpoint");
  if (!batch::EndpointFromUrl(*endpoint)) {
    co_return InvalidRequest(400,
                             "Invalid value for 'endpoint': " + *endpoint + ". sluice runs " +
                                 std::string(kSupportedEndpoints) + ".",
                             "endpoint", "invalid_value");
  }
  auto window_text = required("completion_window");
  if (!window_text) co_return missing("completion_window");
  Result<Duration> window = ParseDuration(*window_text);
  if (!window.ok() || *window <= Duration::zero() || *window > options_.max_completion_window) {
    co_return InvalidRequest(400,
                             "Invalid value for 'completion_window': " + *window_text +
                                 ". Use 24h, or a shorter duration such as 1h or 30m.",
                             "completion_window", "invalid_value");
  }
  json::value metadata = body->contains("metadata") ? body->at("metadata") : json::value();
  if (auto bad = CheckMetadata(metadata)) co_return std::move(*bad);
  if (auto bad = CheckWebhookUrl(metadata)) co_return std::move(*bad);
  RequestedMode requested = ModeOfMetadata(metadata);
  if (requested.error) co_return std::move(*requested.error);
  // `auto` stays so until the batch is validated (DecideMode).
  config::BatchMode mode = requested.mode.value_or(options_.default_mode);
  if (mode == config::BatchMode::kProvider && !options_.provider_runner) {
    co_return InvalidRequest(400, "This gateway cannot run batches in provider mode.",
                             "metadata.sluice_mode", "invalid_value");
  }
  auto output_expiry = ParseOutputExpiresAfter(*body);
  if (auto* bad = std::get_if<http::Response>(&output_expiry)) co_return std::move(*bad);

  store::Store& store = store_;
  std::string file_id = *input_file_id;
  auto get_file = [&store, file_id] { return store.GetFile(file_id); };
  auto file = co_await http::Offload<Result<store::FileRecord>>(store_executor_, io_, get_file);
  if (!file.ok() && file.status().code() != StatusCode::kNotFound) {
    co_return http::ErrorResponse({500, "server_error", file.status().message(), {}, {}});
  }
  bool gone = !file.ok() || file->tenant != tenant || store::IsExpired(*file, clock_.WallNow());
  if (gone) co_return NoSuchObject("File", file_id);
  if (file->purpose != "batch") {
    co_return InvalidRequest(400,
                             "File " + file_id + " has purpose '" + file->purpose +
                                 "'; a batch needs a file uploaded with purpose 'batch'.",
                             "input_file_id", "invalid_value");
  }

  WallTime now = clock_.WallNow();
  NewBatch made{NewId("batch_"), file_id, *endpoint, *window_text, metadata, now,
                // created_at + the window in whole seconds, as OpenAI's objects show it
                std::chrono::floor<std::chrono::seconds>(now) +
                    std::chrono::ceil<std::chrono::seconds>(*window)};
  json::object object = MakeBatchObject(made);
  SetMode(object, mode);
  if (auto seconds = std::get<std::optional<std::chrono::seconds>>(output_expiry)) {
    SetOutputExpiresAfter(object, *seconds);
  }
  batch::BatchRecord record{
      made.id, file_id, std::string(kValidating), now, json::serialize(object), tenant};
  if (IsDryRun(metadata)) {
    if (!options_.dry_run) {
      co_return InvalidRequest(400,
                               "Invalid 'metadata.sluice_dry_run': this gateway has no dry run.",
                               "metadata.sluice_dry_run");
    }
    Result<json::object> priced = co_await DryRun(std::move(record), std::move(object), *window);
    if (!priced.ok()) {
      co_return http::ErrorResponse({500, "server_error", priced.status().message(), {}, {}});
    }
    co_return JsonOk(json::serialize(Shown(std::move(*priced), tenant)));
  }
  auto create = [&store, record] { return store.CreateBatch(record); };
  Status created = co_await http::Offload<Status>(store_executor_, io_, create);
  if (!created.ok()) {
    co_return http::ErrorResponse({500, "server_error", created.message(), {}, {}});
  }
  spdlog::info("batch {} created by {} from {}", made.id, tenant, file_id);
  auto [it, inserted] = active_.emplace(made.id, Active{std::move(record), object, false, nullptr});
  asio::co_spawn(io_, Drive(made.id), asio::detached);
  co_return JsonOk(json::serialize(View(it->second)));
}

asio::awaitable<Result<batch::BatchRecord>> BatchesApi::Load(std::string id, Scope scope) {
  store::Store& store = store_;
  auto get = [&store, id] { return store.GetBatch(id); };
  auto record = co_await http::Offload<Result<batch::BatchRecord>>(store_executor_, io_, get);
  if (record.ok() && !scope.Sees(record->tenant)) co_return NotFoundError("no batch " + id);
  co_return record;
}

asio::awaitable<http::Response> BatchesApi::Get(std::string id, Scope scope) {
  if (auto it = active_.find(id); it != active_.end()) {
    if (!scope.Sees(it->second.record.tenant)) co_return NoSuchObject("Batch", id);
    co_return JsonOk(json::serialize(View(it->second)));
  }
  Result<batch::BatchRecord> record = co_await Load(id, std::move(scope));
  if (!record.ok()) {
    if (record.status().code() == StatusCode::kNotFound) co_return NoSuchObject("Batch", id);
    co_return http::ErrorResponse({500, "server_error", record.status().message(), {}, {}});
  }
  std::optional<json::object> object = ParseObject(record->data);
  co_return JsonOk(object ? json::serialize(Shown(std::move(*object), record->tenant))
                          : record->data);
}

asio::awaitable<http::Response> BatchesApi::Cancel(std::string id, Scope scope) {
  auto it = active_.find(id);
  if (it == active_.end() || !scope.Sees(it->second.record.tenant)) {
    // Not being driven: unknown, out of the caller's scope, or finished.
    Result<batch::BatchRecord> record = co_await Load(id, std::move(scope));
    if (!record.ok()) co_return NoSuchObject("Batch", id);
    co_return InvalidRequest(400, "Cannot cancel a batch with status '" + record->status + "'.",
                             std::nullopt, "batch_not_cancellable");
  }
  Active& batch = it->second;
  std::string_view status = StatusOf(batch.object);
  if (status == kFinalizing) {
    co_return InvalidRequest(400, "Cannot cancel a batch with status 'finalizing'.", std::nullopt,
                             "batch_not_cancellable");
  }
  if (status != kCancelling) {
    Transition(batch.object, kCancelling, clock_.WallNow());
    Status saved = co_await Save(batch);
    if (!saved.ok()) {
      co_return http::ErrorResponse({500, "server_error", saved.message(), {}, {}});
    }
    spdlog::info("batch {} cancelling", id);
    CancelRun(batch);
  }
  co_return JsonOk(json::serialize(View(batch)));
}

asio::awaitable<http::Response> BatchesApi::List(http::Request request, Scope scope) {
  std::int64_t limit = 20;
  if (auto text = request.Query("limit")) {
    char* end = nullptr;
    std::string value(*text);
    limit = std::strtoll(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || limit < 1 || limit > 100) {
      co_return InvalidRequest(400, "Invalid 'limit': expected an integer from 1 to 100.", "limit",
                               "invalid_value");
    }
  }
  std::optional<std::string> after;
  if (auto text = request.Query("after")) after = std::string(*text);
  store::Store& store = store_;
  std::optional<std::string> tenant;
  if (!scope.all) tenant = scope.tenant;
  auto list = [&store, tenant, after, limit] {
    return store.ListBatches(tenant, after, static_cast<std::size_t>(limit) + 1);
  };
  auto page =
      co_await http::Offload<Result<std::vector<batch::BatchRecord>>>(store_executor_, io_, list);
  if (!page.ok()) {
    co_return http::ErrorResponse({500, "server_error", page.status().message(), {}, {}});
  }
  bool has_more = page->size() > static_cast<std::size_t>(limit);
  if (has_more) page->pop_back();
  json::array data;
  for (const batch::BatchRecord& record : *page) {
    auto live = active_.find(record.id);
    if (live != active_.end()) {
      data.push_back(View(live->second));
    } else if (auto object = ParseObject(record.data)) {
      data.push_back(Shown(std::move(*object), record.tenant));
    }
  }
  json::object list_object{{"object", "list"}, {"data", std::move(data)}};
  list_object["first_id"] = page->empty() ? json::value() : json::value(page->front().id);
  list_object["last_id"] = page->empty() ? json::value() : json::value(page->back().id);
  list_object["has_more"] = has_more;
  co_return JsonOk(json::serialize(list_object));
}

std::optional<http::Response> BatchesApi::CheckWebhookUrl(const json::value& metadata) const {
  const json::value* url =
      metadata.is_object() ? metadata.get_object().if_contains("webhook_url") : nullptr;
  if (url == nullptr) return std::nullopt;
  std::optional<std::string> problem =
      options_.webhook_url_problem
          ? options_.webhook_url_problem(url->get_string())  // a string: CheckMetadata saw to it
          : std::optional<std::string>("webhooks are not configured on this gateway (webhooks.secret)");
  if (!problem) return std::nullopt;
  return InvalidRequest(400, "Invalid 'metadata.webhook_url': " + *problem, "metadata.webhook_url");
}

std::map<std::string, std::int64_t> BatchesApi::ActiveByStatus() const {
  std::map<std::string, std::int64_t> counts;
  for (const auto& [id, batch] : active_) ++counts[std::string(StatusOf(batch.object))];
  return counts;
}

json::object BatchesApi::View(Active& batch) {
  if (auto counts = dispatcher_.Counts(batch.record.id)) {
    SetResults(batch.object, counts->total, *counts);
  }
  if (std::optional<cost::BudgetState> budget = dispatcher_.BudgetOf(batch.record.id)) {
    SetBudgetState(batch.object, *budget);
  }
  return Shown(batch.object, batch.record.tenant);
}

asio::awaitable<Status> BatchesApi::Save(Active& batch) {
  batch::BatchRecord record = batch.record;
  record.status = std::string(StatusOf(batch.object));
  record.data = json::serialize(batch.object);
  // Told once: when the terminal status is saved for the first time.
  bool ends = options_.on_terminal && IsTerminal(record.status) &&
              record.status != batch.record.status;
  store::Store& store = store_;
  auto update = [&store, record, ends, &hook = options_.on_terminal, object = batch.object] {
    if (ends) SLUICE_RETURN_IF_ERROR(hook(object, record.tenant));
    return store.UpdateBatch(record);
  };
  Status saved = co_await http::Offload<Status>(store_executor_, io_, update);
  if (saved.ok()) batch.record = std::move(record);
  co_return saved;
}

asio::awaitable<void> BatchesApi::Drive(std::string id) {
  Active& batch = active_.at(id);
  Status status;
  // Every step can be repeated from where the batch stands, so a busy or full store is waited out.
  for (int attempt = 1;; ++attempt) {
    status = co_await Advance(batch);
    if (status.ok() || stopping_ || !store::IsTransient(status)) break;
    Duration wait = StepBackoff(attempt);
    spdlog::warn("batch {} at {}: {}; trying again in {} ms", id, StatusOf(batch.object),
                 status.ToString(),
                 std::chrono::duration_cast<std::chrono::milliseconds>(wait).count());
    (void)co_await http::SleepFor(clock_, wait);
  }
  if (!status.ok() && !stopping_) {
    spdlog::error("batch {} failed at {}: {}", id, StatusOf(batch.object), status.ToString());
    SetErrors(batch.object,
              {{"store_error", "sluice could not save this batch's progress: " + status.message(),
                std::nullopt, 0, ""}});
    Transition(batch.object, kFailed, clock_.WallNow());
    status = co_await Save(batch);
  }
  if (!status.ok()) {
    spdlog::error("batch {} stopped at {}: {}", id, StatusOf(batch.object), status.ToString());
  } else {
    spdlog::info("batch {} {}", id, StatusOf(batch.object));
  }
  active_.erase(id);
}

asio::awaitable<Status> BatchesApi::Advance(Active& batch) {
  Status status;
  if (StatusOf(batch.object) == kValidating) status = co_await Validate(batch);
  std::string_view now = StatusOf(batch.object);
  if (status.ok() && !stopping_ && (now == kInProgress || now == kCancelling)) {
    status = co_await Execute(batch);
  }
  if (status.ok() && !stopping_ && StatusOf(batch.object) == kFinalizing) {
    status = co_await Finalize(batch, kCompleted);
  }
  co_return status;
}

batch::IngestOptions BatchesApi::IngestOptionsFor(const json::object& batch) const {
  batch::IngestOptions ingest = options_.ingest;
  ingest.rules.endpoint = batch::EndpointFromUrl(StringField(batch, "endpoint"));
  ingest.dedup = DedupOf(batch, options_.ingest.dedup);
  auto models = std::make_shared<std::set<std::string, std::less<>>>(options_.models.begin(),
                                                                     options_.models.end());
  ingest.rules.model_known = [models](std::string_view model) { return models->contains(model); };
  return ingest;
}

asio::awaitable<Status> BatchesApi::Validate(Active& batch) {
  batch::IngestOptions ingest = IngestOptionsFor(batch.object);
  store::Store& store = store_;
  std::string id = batch.record.id;
  std::string path = bodies_.PathOf(StringField(batch.object, "input_file_id"));
  auto work = [&store, id, path, ingest] {
    batch::IngestSinks sinks;
    sinks.items = [&store, &id](std::vector<batch::NewItem> items) {
      return store.AddItems(id, items);
    };
    return batch::IngestFile(path, ingest, sinks);
  };
  auto report =
      co_await http::Offload<Result<batch::IngestReport>>(ingest_executor_, io_, std::move(work));
  WallTime now = clock_.WallNow();
  if (!report.ok() && report.status().code() != StatusCode::kNotFound) co_return report.status();
  if (StatusOf(batch.object) == kCancelling) {  // Execute closes what was read
    if (report.ok()) SetRequestCounts(batch.object, report->totals.requests, 0, 0);
    co_return OkStatus();
  }
  if (!report.ok()) {
    SetErrors(batch.object, {{"file_not_found",
                              "The input file is gone: it was deleted before "
                              "the batch was validated.",
                              "input_file_id", 0, ""}});
    Transition(batch.object, kFailed, now);
  } else if (report->invalid > 0) {
    SetErrors(batch.object, report->errors);
    Transition(batch.object, kFailed, now);
  } else if (report->totals.requests == 0) {
    SetErrors(batch.object,
              {{"empty_file", "The input file has no requests.", std::nullopt, 0, ""}});
    Transition(batch.object, kFailed, now);
  } else {
    SetRequestCounts(batch.object, report->totals.requests, 0, 0);
    DecideMode(batch, *report);
    Transition(batch.object, kInProgress, now);
  }
  co_return co_await Save(batch);
}

asio::awaitable<Status> BatchesApi::Execute(Active& batch) {
  std::string id = batch.record.id;
  if (StatusOf(batch.object) == kInProgress) {
    auto expires_at = WallTime(std::chrono::seconds(IntField(batch.object, "expires_at")));
    Duration left = std::chrono::duration_cast<Duration>(expires_at - clock_.WallNow());
    Status run = CancelledError("expired");
    batch.expired = left <= Duration::zero();
    if (!batch.expired) {
      // The window's end cancels the run; the run's end cancels the wait.
      auto finished = std::make_shared<scheduler::Notifier>(io_);
      asio::co_spawn(io_, ExpireAt(id, clock_.Now() + left, finished), asio::detached);
      run = co_await RunLines(batch);
      finished->Notify();
    }
    if (run.code() == StatusCode::kFailedPrecondition) {
      // Provider mode cannot run these lines (no deployment with a batch API).
      SetErrors(batch.object, {{"provider_mode_unavailable", run.message(), std::nullopt, 0, ""}});
      Transition(batch.object, kFailed, clock_.WallNow());
      co_return co_await Save(batch);
    }
    if (run.ok()) {
      Transition(batch.object, kFinalizing, clock_.WallNow());
      co_return co_await Save(batch);
    }
    if (run.code() != StatusCode::kCancelled || stopping_) co_return run;
    if (batch.expired) {
      SLUICE_CO_RETURN_IF_ERROR(co_await CloseOpenItems(
          batch, "batch_expired",
          "This request could not be executed before the completion window expired."));
      co_return co_await Finalize(batch, kExpired);
    }
  }
  SLUICE_CO_RETURN_IF_ERROR(co_await CloseOpenItems(
      batch, "batch_cancelled", "This request was not executed: the batch was cancelled."));
  co_return co_await Finalize(batch, kCancelled);
}

asio::awaitable<Status> BatchesApi::RunLines(Active& batch) {
  std::optional<ModeDecision> decision = ModeDecisionOf(batch.object);
  bool moved = decision && decision->moved_at;
  if (ModeOf(batch.object) == config::BatchMode::kProvider && !moved) {
    Status run = co_await RunThroughProviders(batch);
    if (run.code() != StatusCode::kAborted) co_return run;
    SLUICE_CO_RETURN_IF_ERROR(co_await Save(batch));  // the move, before real time sends a line
  }
  scheduler::BatchSpec spec{batch.record.id, batch.record.tenant, PriorityOf(batch.object),
                            MaxCostOf(batch.object)};
  co_return co_await dispatcher_.RunBatch(std::move(spec));
}

asio::awaitable<void> BatchesApi::ExpireAt(std::string id, TimePoint deadline,
                                           std::shared_ptr<scheduler::Notifier> finished) {
  co_await (http::SleepUntil(clock_, deadline) || finished->Wait());
  auto it = active_.find(id);
  if (clock_.Now() >= deadline && it != active_.end() && !it->second.expired) {
    it->second.expired = true;
    CancelRun(it->second);
  }
}

asio::awaitable<Status> BatchesApi::CloseOpenItems(Active& batch, std::string code,
                                                   std::string message) {
  store::Store& store = store_;
  std::string id = batch.record.id;
  // Every open item, whatever its lease or retry time says.
  WallTime far = clock_.WallNow() + std::chrono::hours(24 * 3650);
  auto work = [&store, id, code, message, far]() -> Status {
    SLUICE_RETURN_IF_ERROR(store.ExpireLeases(id));
    while (true) {
      SLUICE_ASSIGN_OR_RETURN(auto open, store.LeaseItems(id, 1000, far, std::chrono::hours(1)));
      if (open.empty()) return OkStatus();
      std::vector<batch::ResultRecord> results;
      for (const batch::LeasedItem& leased : open) {
        batch::ResultRecord r;
        r.index = leased.item.index;
        r.custom_id = leased.item.custom_id;
        r.error_code = code;
        r.error_message = message;
        results.push_back(r);
        for (const batch::Duplicate& duplicate : leased.duplicates) {  // not sent either
          r.index = duplicate.index;
          r.custom_id = duplicate.custom_id;
          results.push_back(r);
        }
      }
      SLUICE_RETURN_IF_ERROR(store.AddResults(id, results));
    }
  };
  co_return co_await http::Offload<Status>(store_executor_, io_, std::move(work));
}

std::optional<WallTime> BatchesApi::OutputExpiresAt(const json::object& batch,
                                                    WallTime created_at) const {
  if (std::optional<std::chrono::seconds> after = OutputExpiresAfter(batch)) {
    return created_at + *after;
  }
  if (!options_.output_file_expiry) return std::nullopt;
  return created_at + std::chrono::duration_cast<WallTime::duration>(*options_.output_file_expiry);
}

asio::awaitable<Status> BatchesApi::Finalize(Active& batch, std::string_view status) {
  store::Store& store = store_;
  const store::FileBodies& bodies = bodies_;
  std::string id = batch.record.id;
  std::string tenant = batch.record.tenant;
  std::string output = options_.work_dir + "/" + id + "_output.jsonl";
  std::string errors = options_.work_dir + "/" + id + "_error.jsonl";
  WallTime now = clock_.WallNow();
  std::optional<WallTime> expires_at = OutputExpiresAt(batch.object, now);
  auto write = [&store, id, output, errors]() -> Result<batch::OutputCounts> {
    batch::ResultPager pager = [&store, &id](std::int64_t after, std::size_t limit) {
      return store.ReadResults(id, after, limit);
    };
    return batch::WriteOutputFiles(pager, id, output, errors);
  };
  asio::any_io_executor writer = options_.output_executor.value_or(store_executor_);
  auto counts = co_await http::Offload<Result<batch::OutputCounts>>(writer, io_, std::move(write));
  if (!counts.ok()) co_return counts.status();
  auto work = [&store, &bodies, id, tenant, output, errors, now, expires_at,
               counts = *counts]() -> Result<Written> {
    Written written{counts, "", ""};
    auto add = [&](const std::string& path, std::int64_t lines, std::string_view kind,
                   std::string& file_id) -> Status {
      std::error_code ignored;
      if (lines == 0) {
        std::filesystem::remove(path, ignored);
        return OkStatus();
      }
      std::string name = std::filesystem::path(path).filename();
      SLUICE_ASSIGN_OR_RETURN(
          store::FileRecord file,
          store::AddFile(store, bodies,
                         {tenant, "batch_output", name, now, FileIdOf(id, kind), expires_at},
                         path));
      file_id = file.id;
      return OkStatus();
    };
    SLUICE_RETURN_IF_ERROR(add(output, counts.succeeded, "output", written.output_file_id));
    SLUICE_RETURN_IF_ERROR(add(errors, counts.failed, "error", written.error_file_id));
    return written;
  };
  auto written = co_await http::Offload<Result<Written>>(store_executor_, io_, std::move(work));
  if (!written.ok()) co_return written.status();
  SetFiles(batch.object, written->output_file_id, written->error_file_id);
  std::int64_t total = batch.object["request_counts"].as_object()["total"].as_int64();
  SetResults(batch.object, total, written->counts);
  Transition(batch.object, status, clock_.WallNow());
  Status saved = co_await Save(batch);
  if (!saved.ok()) co_return saved;
  // The output and error files hold every result now: the items and results only take space.
  // Off the store thread: DropItems works in steps, and the other batches' store calls go on
  // between them instead of waiting on the store thread for the whole drop.
  auto drop = [&store, id] { return store.DropItems(id); };
  asio::any_io_executor dropper = options_.drop_executor.value_or(writer);
  Status dropped = co_await http::Offload<Status>(dropper, io_, std::move(drop));
  if (!dropped.ok()) {
    spdlog::warn("batch {}: cannot free the space of its items: {}", id, dropped.ToString());
  }
  co_return OkStatus();
}

}  // namespace sluice::api
