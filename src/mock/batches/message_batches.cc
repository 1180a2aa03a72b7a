#include "mock/batches/message_batches.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <ctime>
#include <set>

#include "mock/anthropic_limiter.h"

namespace sluice::mock {
namespace json = boost::json;
namespace {

constexpr std::string_view kPrefix = "/v1/messages/batches/";

http::Response Error(int status, std::string type, std::string message,
                     const std::string& request_id) {
  return AnthropicErrorResponse(
      {status, std::move(type), std::move(message), std::nullopt, std::nullopt}, request_id);
}

bool ValidCustomId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

}  // namespace

std::string Rfc3339(WallTime time) {
  auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
  std::time_t t = static_cast<std::time_t>(micros / 1000000);
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  return fmt::format("{}.{:06}Z", text, micros % 1000000);
}

struct MessageBatches::Batch {
  std::string id;
  std::string status = "in_progress";
  TimePoint created;
  WallTime created_wall;
  std::int64_t polls = 0;
  std::optional<WallTime> ended_at, cancel_initiated_at;
  std::int64_t succeeded = 0, errored = 0, canceled = 0, expired = 0;
  std::vector<BatchLine> lines;
  std::string results;  // JSONL once ended
  std::string results_url;
  bool vanished = false, never_finish = false, malformed_output = false, invalid = false;

  json::object ToJson() const {
    auto time = [](const std::optional<WallTime>& t) {
      return t ? json::value(Rfc3339(*t)) : json::value(nullptr);
    };
    bool ended = status == "ended";
    std::int64_t processing = ended ? 0 : static_cast<std::int64_t>(lines.size());
    return {{"id", id},
            {"type", "message_batch"},
            {"processing_status", status},
            {"request_counts",
             {{"processing", processing},
              {"succeeded", succeeded},
              {"errored", errored},
              {"canceled", canceled},
              {"expired", expired}}},
            {"ended_at", time(ended_at)},
            {"created_at", Rfc3339(created_wall)},
            {"expires_at", nullptr},  // set by the caller, who knows the window
            {"cancel_initiated_at", time(cancel_initiated_at)},
            {"archived_at", nullptr},
            {"results_url", ended ? json::value(results_url) : json::value(nullptr)}};
  }
};

http::Response MessageBatches::Handle(const http::Request& request, const Context& context,
                                      const std::string& request_id,
                                      std::vector<BatchLine>* lines_out) {
  std::string_view path = request.Path();
  auto render = [&](const Batch& b) {
    json::object o = b.ToJson();
    o["expires_at"] = Rfc3339(b.created_wall + options_.window);
    return http::JsonResponse(200, json::serialize(o));
  };
  if (path == "/v1/messages/batches") {
    if (request.method == "POST") return Create(request, context, request_id, lines_out);
    if (request.method != "GET") {
      return Error(405, "invalid_request_error", "Method Not Allowed", request_id);
    }
    json::array data;
    for (auto it = order_.rbegin(); it != order_.rend() && data.size() < 1000; ++it) {
      if (batches_[*it]->vanished) continue;
      json::object o = batches_[*it]->ToJson();
      o["expires_at"] = Rfc3339(batches_[*it]->created_wall + options_.window);
      data.push_back(std::move(o));
    }
    json::object page{{"data", data}, {"has_more", false}};
    page["first_id"] = data.empty() ? json::value(nullptr) : data.front().at("id");
    page["last_id"] = data.empty() ? json::value(nullptr) : data.back().at("id");
    return http::JsonResponse(200, json::serialize(page));
  }
  std::string id(path.substr(kPrefix.size()));
  std::string action;
  if (auto slash = id.find('/'); slash != std::string::npos) {
    action = id.substr(slash + 1);
    id.resize(slash);
  }
  auto it = batches_.find(id);
  if (it == batches_.end() || it->second->vanished) {
    return Error(404, "not_found_error", fmt::format("Message Batch {} not found.", id),
                 request_id);
  }
  Batch& b = *it->second;
  if (action == "cancel" && request.method == "POST") {
    if (b.status == "in_progress") {
      b.status = "canceling";
      b.cancel_initiated_at = context.wall;
    }
    return render(b);
  }
  if (action == "results" && request.method == "GET") {
    if (b.status != "ended") {
      return Error(400, "invalid_request_error",
                   fmt::format("Message Batch {} has not yet ended. Results are available once "
                               "processing_status is 'ended'.",
                               id),
                   request_id);
    }
    http::Response raw{200, {}, b.results};
    raw.headers.Set("content-type", "application/binary");
    return raw;
  }
  if (!action.empty() || request.method != "GET") {
    return Error(405, "invalid_request_error", "Method Not Allowed", request_id);
  }
  Advance(b, context);
  return render(b);
}

http::Response MessageBatches::Create(const http::Request& request, const Context& context,
                                      const std::string& request_id,
                                      std::vector<BatchLine>* lines_out) {
  boost::system::error_code ec;
  json::value v = json::parse(request.body, ec);
  const json::object* o = ec ? nullptr : v.if_object();
  const json::value* requests = o ? o->if_contains("requests") : nullptr;
  if (!requests || !requests->is_array()) {
    return Error(400, "invalid_request_error", "requests: Field required", request_id);
  }
  if (requests->as_array().empty()) {
    return Error(400, "invalid_request_error",
                 "requests: List should have at least 1 item after validation, not 0", request_id);
  }
  auto batch = std::make_shared<Batch>();
  std::set<std::string> seen;
  std::size_t n = 0;
  for (const json::value& r : requests->as_array()) {
    const json::object* ro = r.if_object();
    const json::value* id = ro ? ro->if_contains("custom_id") : nullptr;
    const json::value* params = ro ? ro->if_contains("params") : nullptr;
    if (!id || !id->is_string() || !ValidCustomId(id->as_string())) {
      return Error(400, "invalid_request_error",
                   fmt::format("requests.{}.custom_id: String should match pattern "
                               "'^[a-zA-Z0-9_-]{{1,64}}$'",
                               n),
                   request_id);
    }
    if (!params || !params->is_object()) {
      return Error(400, "invalid_request_error",
                   fmt::format("requests.{}.params: Field required", n), request_id);
    }
    std::string custom_id(id->as_string());
    if (!seen.insert(custom_id).second) {
      return Error(400, "invalid_request_error",
                   fmt::format("Duplicate custom_id '{}' in requests.", custom_id), request_id);
    }
    batch->lines.push_back({std::move(custom_id), json::serialize(*params)});
    ++n;
  }
  batch->id = context.new_id("msgbatch_", 24);
  batch->created = context.now;
  batch->created_wall = context.wall;
  batch->results_url = context.origin + std::string(kPrefix) + batch->id + "/results";
  batch->invalid = random_.Bernoulli(options_.fail_validation);
  bool vanish = random_.Bernoulli(options_.vanish);
  batch->never_finish = random_.Bernoulli(options_.never_finish);
  batch->malformed_output = random_.Bernoulli(options_.malformed_output);
  if (lines_out) *lines_out = batch->lines;
  json::object created = batch->ToJson();
  created["expires_at"] = Rfc3339(batch->created_wall + options_.window);
  batch->vanished = vanish;
  batches_[batch->id] = batch;
  order_.push_back(batch->id);
  return http::JsonResponse(200, json::serialize(created));
}

void MessageBatches::Advance(Batch& b, const Context& context) {
  ++b.polls;
  if (b.status == "canceling") {
    End(b, context, "canceled");
  } else if (b.status != "in_progress") {
    return;
  } else if (context.now - b.created >= options_.window) {
    End(b, context, "expired");
  } else if (!b.never_finish && context.now - b.created >= options_.turnaround &&
             b.polls >= options_.polls) {
    End(b, context, "");
  }
}

void MessageBatches::End(Batch& b, const Context& context, const std::string& reason) {
  std::string results;
  for (const BatchLine& line : b.lines) {
    std::string type = reason;
    if (type.empty() && random_.Bernoulli(options_.expire)) type = "expired";
    json::object result;
    if (type.empty() && b.invalid) {
      type = "errored";
      result["error"] = {{"type", "error"},
                         {"error",
                          {{"type", "invalid_request_error"},
                           {"message", "The request failed validation (mock fault)."}}}};
    } else if (type.empty()) {
      LineAnswer answer = context.answer("/v1/messages", line.body);
      boost::system::error_code ec;
      json::value body = json::parse(answer.body, ec);
      if (answer.status == 200) {
        type = "succeeded";
        result["message"] = body;
      } else {
        type = "errored";
        if (body.is_object()) body.as_object().erase("request_id");
        result["error"] = body;
      }
    }
    result["type"] = type;
    ++(type == "succeeded"  ? b.succeeded
       : type == "errored"  ? b.errored
       : type == "canceled" ? b.canceled
                            : b.expired);
    results += json::serialize(json::object{{"custom_id", line.custom_id}, {"result", result}});
    results += "\n";
  }
  if (b.malformed_output && !results.empty()) {
    results.resize(results.size() / 2);
    results += "\n{\"custom_id\":";
  }
  b.results = std::move(results);
  b.status = "ended";
  b.ended_at = context.wall;
}

}  // namespace sluice::mock
