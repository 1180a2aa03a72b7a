#include "mock/batches/openai_batches.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>
#include <set>

namespace sluice::mock {
namespace json = boost::json;
namespace {

constexpr std::string_view kPrefix = "/v1/batches/";

http::Response Invalid(std::string message, std::optional<std::string> param = std::nullopt,
                       int status = 400) {
  return http::ErrorResponse(
      {status, "invalid_request_error", std::move(message), std::nullopt, std::move(param)});
}

bool KnownEndpoint(std::string_view e) {
  return e == "/v1/chat/completions" || e == "/v1/embeddings" || e == "/v1/completions" ||
         e == "/v1/responses" || e == "/v1/moderations";
}

json::value OrNull(const std::optional<std::int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::value OrNull(const std::optional<std::string>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object BatchError(std::string code, std::string message, std::optional<std::int64_t> line) {
  return {{"code", std::move(code)},
          {"message", std::move(message)},
          {"param", nullptr},
          {"line", OrNull(line)}};
}

}  // namespace

struct OpenAiBatches::Batch {
  std::string id;
  std::string endpoint;
  std::string input_file_id;
  std::string completion_window;
  json::value metadata;
  std::string status = "validating";
  std::string model;
  TimePoint created;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> in_progress_at, finalizing_at, completed_at, failed_at, expired_at,
      cancelling_at, cancelled_at;
  std::optional<std::string> output_file_id, error_file_id;
  std::int64_t polls = 0;
  std::int64_t total = 0, completed = 0, failed = 0;
  std::int64_t input_tokens = 0, output_tokens = 0;
  bool usage_known = false;
  json::array errors;  // validation errors; the batch fails with them
  std::vector<BatchLine> lines;
  bool vanished = false, never_finish = false, malformed_output = false;

  json::object ToJson() const {
    json::value usage = nullptr;
    if (usage_known) {
      usage = json::object{{"input_tokens", input_tokens},
                           {"input_tokens_details", {{"cached_tokens", 0}}},
                           {"output_tokens", output_tokens},
                           {"output_tokens_details", {{"reasoning_tokens", 0}}},
                           {"total_tokens", input_tokens + output_tokens}};
    }
    json::value errs = nullptr;
    if (!errors.empty()) errs = json::object{{"object", "list"}, {"data", errors}};
    return {{"id", id},
            {"object", "batch"},
            {"endpoint", endpoint},
            {"model", model.empty() ? json::value(nullptr) : json::value(model)},
            {"errors", errs},
            {"input_file_id", input_file_id},
            {"completion_window", completion_window},
            {"status", status},
            {"output_file_id", OrNull(output_file_id)},
            {"error_file_id", OrNull(error_file_id)},
            {"created_at", created_at},
            {"in_progress_at", OrNull(in_progress_at)},
            {"expires_at", expires_at},
            {"finalizing_at", OrNull(finalizing_at)},
            {"completed_at", OrNull(completed_at)},
            {"failed_at", OrNull(failed_at)},
            {"expired_at", OrNull(expired_at)},
            {"cancelling_at", OrNull(cancelling_at)},
            {"cancelled_at", OrNull(cancelled_at)},
            {"request_counts", {{"total", total}, {"completed", completed}, {"failed", failed}}},
            {"usage", usage},
            {"metadata", metadata}};
  }
};

namespace {

// Reads the input file's lines as OpenAI's validation does: JSON objects with a unique
// custom_id, method POST and url equal to the batch's endpoint. Problems go to `errors`.
std::vector<BatchLine> ReadLines(const std::string& content, const std::string& endpoint,
                                 json::array& errors, std::string& model) {
  std::vector<BatchLine> lines;
  std::set<std::string> seen;
  std::int64_t number = 0;
  std::size_t pos = 0;
  while (pos < content.size()) {
    std::size_t end = content.find('\n', pos);
    if (end == std::string::npos) end = content.size();
    std::string_view text(content.data() + pos, end - pos);
    pos = end + 1;
    ++number;
    if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    const json::object* o = ec ? nullptr : v.if_object();
    if (!o) {
      errors.push_back(
          BatchError("invalid_json_line", "This line is not parseable as valid JSON.", number));
      continue;
    }
    const json::value* id = o->if_contains("custom_id");
    const json::value* url = o->if_contains("url");
    const json::value* body = o->if_contains("body");
    if (!id || !id->is_string() || !body || !body->is_object()) {
      errors.push_back(BatchError(
          "invalid_request", "Each line needs a string custom_id and an object body.", number));
      continue;
    }
    if (!url || !url->is_string() || url->as_string() != endpoint) {
      errors.push_back(BatchError("url_mismatch",
                                  fmt::format("The url of this line does not match the batch's "
                                              "endpoint {}.",
                                              endpoint),
                                  number));
      continue;
    }
    std::string custom_id(id->as_string());
    if (!seen.insert(custom_id).second) {
      errors.push_back(BatchError(
          "duplicate_custom_id",
          fmt::format("The custom_id {} is used by more than one line.", custom_id), number));
      continue;
    }
    if (const json::value* m = body->as_object().if_contains("model");
        m && m->is_string() && model.empty()) {
      model = m->as_string();
    }
    lines.push_back({std::move(custom_id), json::serialize(*body)});
  }
  if (lines.empty() && errors.empty()) {
    errors.push_back(
        BatchError("empty_file", "The input file has no request lines.", std::nullopt));
  }
  return lines;
}

}  // namespace

http::Response OpenAiBatches::Handle(const http::Request& request, Context context,
                                     std::vector<BatchLine>* lines_out) {
  std::string_view path = request.Path();
  if (path == "/v1/batches") {
    if (request.method == "POST") return Create(request, context, lines_out);
    if (request.method == "GET") return List(request);
    return Invalid(fmt::format("Invalid method for URL ({} {})", request.method, path),
                   std::nullopt, 405);
  }
  std::string id(path.substr(kPrefix.size()));
  bool cancel = id.ends_with("/cancel");
  if (cancel) id.resize(id.size() - std::string_view("/cancel").size());
  auto it = batches_.find(id);
  if (it == batches_.end() || it->second->vanished) {
    return Invalid(fmt::format("No such Batch object: {}", id), "id", 404);
  }
  Batch& batch = *it->second;
  if (cancel) {
    if (request.method != "POST") return Invalid("Use POST to cancel a batch.", std::nullopt, 405);
    if (batch.status == "validating" || batch.status == "in_progress") {
      batch.status = "cancelling";
      batch.cancelling_at = context.now_seconds;
    } else if (batch.status != "cancelling" && batch.status != "finalizing") {
      return Invalid(fmt::format("Cannot cancel a batch with status '{}'.", batch.status),
                     std::nullopt, 409);
    }
    return http::JsonResponse(200, json::serialize(batch.ToJson()));
  }
  if (request.method != "GET") {
    return Invalid(fmt::format("Invalid method for URL ({} {})", request.method, path),
                   std::nullopt, 405);
  }
  Advance(batch, context);
  return http::JsonResponse(200, json::serialize(batch.ToJson()));
}

http::Response OpenAiBatches::Create(const http::Request& request, Context& context,
                                     std::vector<BatchLine>* lines_out) {
  boost::system::error_code ec;
  json::value v = json::parse(request.body, ec);
  const json::object* o = ec ? nullptr : v.if_object();
  if (!o) return Invalid("We could not parse the JSON body of your request.");
  auto field = [&](std::string_view name) -> std::optional<std::string> {
    const json::value* f = o->if_contains(name);
    if (!f || !f->is_string()) return std::nullopt;
    return std::string(f->as_string());
  };
  auto input = field("input_file_id");
  auto endpoint = field("endpoint");
  auto window = field("completion_window");
  if (!input) return Invalid("Missing required parameter: 'input_file_id'.", "input_file_id");
  if (!endpoint) return Invalid("Missing required parameter: 'endpoint'.", "endpoint");
  if (!window)
    return Invalid("Missing required parameter: 'completion_window'.", "completion_window");
  if (!KnownEndpoint(*endpoint)) {
    return Invalid(fmt::format("Invalid value for 'endpoint': {}.", *endpoint), "endpoint");
  }
  if (*window != "24h") {
    return Invalid(fmt::format("Invalid value for 'completion_window': {}. Supported values "
                               "are: '24h'.",
                               *window),
                   "completion_window");
  }
  const MockFile* file = context.files.Find(*input);
  if (!file) return Invalid(fmt::format("Invalid input_file_id: {}", *input), "input_file_id");
  auto batch = std::make_shared<Batch>();
  batch->id = context.new_id("batch_", 24);
  batch->endpoint = *endpoint;
  batch->input_file_id = *input;
  batch->completion_window = *window;
  const json::value* metadata = o->if_contains("metadata");
  batch->metadata = metadata ? *metadata : json::value(nullptr);
  batch->created = context.now;
  batch->created_at = context.now_seconds;
  batch->expires_at = context.now_seconds +
                      std::chrono::duration_cast<std::chrono::seconds>(options_.window).count();
  batch->lines = ReadLines(file->content, *endpoint, batch->errors, batch->model);
  if (random_.Bernoulli(options_.fail_validation) && batch->errors.empty()) {
    batch->errors.push_back(
        BatchError("invalid_request", "The batch failed validation (mock fault).", std::nullopt));
  }
  batch->vanished = false;
  bool vanish = random_.Bernoulli(options_.vanish);
  batch->never_finish = random_.Bernoulli(options_.never_finish);
  batch->malformed_output = random_.Bernoulli(options_.malformed_output);
  if (lines_out) *lines_out = batch->lines;
  std::string body = json::serialize(batch->ToJson());
  batch->vanished = vanish;  // the create answers; every later request does not find it
  batches_[batch->id] = batch;
  order_.push_back(batch->id);
  return http::JsonResponse(200, std::move(body));
}

http::Response OpenAiBatches::List(const http::Request& request) {
  std::size_t limit = 20;
  if (auto l = request.Query("limit")) {
    long n = std::strtol(std::string(*l).c_str(), nullptr, 10);
    limit = static_cast<std::size_t>(std::clamp<long>(n, 1, 100));
  }
  std::optional<std::string_view> after = request.Query("after");
  json::array data;
  bool started = !after;
  bool more = false;
  for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
    const Batch& b = *batches_[*it];
    if (!started) {
      started = b.id == *after;
      continue;
    }
    if (b.vanished) continue;
    if (data.size() == limit) {
      more = true;
      break;
    }
    data.push_back(b.ToJson());
  }
  json::object page{{"object", "list"}, {"data", data}, {"has_more", more}};
  page["first_id"] = data.empty() ? json::value(nullptr) : data.front().at("id");
  page["last_id"] = data.empty() ? json::value(nullptr) : data.back().at("id");
  return http::JsonResponse(200, json::serialize(page));
}

void OpenAiBatches::Advance(Batch& b, Context& context) {
  ++b.polls;
  if (b.status == "validating") {
    if (!b.errors.empty()) {
      b.status = "failed";
      b.failed_at = context.now_seconds;
      return;
    }
    b.status = "in_progress";
    b.in_progress_at = context.now_seconds;
    b.total = static_cast<std::int64_t>(b.lines.size());
    return;
  }
  if (b.status == "cancelling") {
    Finish(b, context, "batch_cancelled");
    b.status = "cancelled";
    b.cancelled_at = context.now_seconds;
    return;
  }
  if (b.status == "finalizing") {
    Finish(b, context, "");
    bool expired = b.failed > 0 && b.expired_at;
    b.status = expired ? "expired" : "completed";
    if (!expired) b.completed_at = context.now_seconds;
    return;
  }
  if (b.status != "in_progress") return;
  if (context.now - b.created >= options_.window) {
    Finish(b, context, "batch_expired");
    b.status = "expired";
    b.expired_at = context.now_seconds;
    return;
  }
  if (!b.never_finish && context.now - b.created >= options_.turnaround &&
      b.polls >= options_.polls) {
    b.status = "finalizing";
    b.finalizing_at = context.now_seconds;
  }
}

void OpenAiBatches::Finish(Batch& b, Context& context, const std::string& reason) {
  std::string output;
  std::string errors;
  bool any_expired = false;
  for (const BatchLine& line : b.lines) {
    json::object out{{"id", context.new_id("batch_req_", 24)}, {"custom_id", line.custom_id}};
    std::string code = reason;
    if (code.empty() && random_.Bernoulli(options_.expire)) code = "batch_expired";
    if (!code.empty()) {
      any_expired = any_expired || code == "batch_expired";
      out["response"] = nullptr;
      out["error"] = {{"code", code},
                      {"message", code == "batch_expired"
                                      ? "This request could not be executed before the "
                                        "completion window expired."
                                      : "This request was not executed because the batch was "
                                        "cancelled."}};
      ++b.failed;
      errors += json::serialize(out) + "\n";
      continue;
    }
    LineAnswer answer = context.answer(b.endpoint, line.body);
    boost::system::error_code ec;
    out["response"] = {{"status_code", answer.status},
                       {"request_id", context.new_id("req_", 32)},
                       {"body", json::parse(answer.body, ec)}};
    out["error"] = nullptr;
    b.input_tokens += answer.input_tokens;
    b.output_tokens += answer.output_tokens;
    std::string text = json::serialize(out) + "\n";
    if (answer.status == 200) {
      ++b.completed;
      output += text;
    } else {
      ++b.failed;
      errors += text;
    }
  }
  b.usage_known = true;
  if (any_expired && !b.expired_at) b.expired_at = context.now_seconds;
  if (b.malformed_output && !output.empty()) {
    output.resize(output.size() / 2);  // cut mid-line: the file does not parse
    output += "\n{\"id\":";
  }
  auto add = [&](std::string content, std::string_view kind) -> std::optional<std::string> {
    if (content.empty()) return std::nullopt;
    return context.files.Add({context.new_id("file-", 24), fmt::format("{}_{}.jsonl", b.id, kind),
                              "batch_output", context.now_seconds, std::move(content)});
  };
  b.output_file_id = add(std::move(output), "output");
  b.error_file_id = add(std::move(errors), "error");
}

}  // namespace sluice::mock
