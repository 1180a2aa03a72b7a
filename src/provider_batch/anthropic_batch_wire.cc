#include "provider_batch/anthropic_batch_wire.h"

#include <algorithm>
#include <boost/json.hpp>
#include <ctime>

#include "provider_batch/json_fields.h"

namespace sluice::provider_batch {
namespace json = boost::json;
namespace {

std::int64_t RequestTotal(const json::object& batch) {
  const json::value* counts = batch.if_contains("request_counts");
  if (!counts || !counts->is_object()) return 0;
  std::int64_t total = 0;
  for (const auto& [key, value] : counts->as_object()) {
    if (value.is_int64()) total += value.as_int64();
  }
  return total;
}

}  // namespace

std::string MessageBatchBody(const std::vector<UpstreamRequest>& requests) {
  json::array list;
  for (const UpstreamRequest& r : requests) {
    boost::system::error_code ec;
    json::value params = json::parse(r.body, ec);
    list.push_back(json::object{{"custom_id", r.custom_id},
                                {"params", ec ? json::value(json::object()) : params}});
  }
  return json::serialize(json::object{{"requests", std::move(list)}});
}

Result<MessageBatch> ParseMessageBatch(std::string_view body) {
  std::optional<json::object> o = ParseObject(body);
  if (!o || StringAt(*o, "type") != "message_batch" || StringAt(*o, "id").empty()) {
    return InvalidArgumentError("the provider's answer is not a message_batch");
  }
  MessageBatch batch;
  batch.id = StringAt(*o, "id");
  batch.created_at = StringAt(*o, "created_at");
  batch.requests = RequestTotal(*o);
  batch.status.status = StringAt(*o, "processing_status");
  if (batch.status.status == "ended") {
    batch.status.state = UpstreamState::kEnded;
    batch.status.result_locations.push_back(StringAt(*o, "results_url"));
  }
  return batch;
}

Result<std::optional<std::string>> FindInMessageBatchPage(
    std::string_view body, std::string_view not_before, std::int64_t requests,
    const std::vector<std::string>& known_ids) {
  std::optional<json::object> o = ParseObject(body);
  const json::value* data = o ? o->if_contains("data") : nullptr;
  if (!data || !data->is_array()) {
    return InvalidArgumentError("the provider's answer is not a list of message batches");
  }
  std::string_view floor = not_before.substr(0, 19);  // "YYYY-MM-DDTHH:MM:SS" sorts by time
  for (const json::value& v : data->as_array()) {
    if (!v.is_object()) continue;
    std::string id = StringAt(v.as_object(), "id");
    std::string created = StringAt(v.as_object(), "created_at");
    if (std::string_view(created).substr(0, 19) < floor) continue;
    if (RequestTotal(v.as_object()) != requests) continue;
    if (std::find(known_ids.begin(), known_ids.end(), id) != known_ids.end()) continue;
    return std::optional<std::string>(id);
  }
  return std::optional<std::string>();
}

int StatusOfAnthropicError(std::string_view type) {
  if (type == "invalid_request_error") return 400;
  if (type == "authentication_error") return 401;
  if (type == "billing_error") return 402;
  if (type == "permission_error") return 403;
  if (type == "not_found_error") return 404;
  if (type == "request_too_large") return 413;
  if (type == "rate_limit_error") return 429;
  if (type == "overloaded_error") return 529;
  return 500;  // api_error and anything new
}

void ParseMessageBatchResults(std::string_view jsonl, UpstreamResults& results) {
  ForEachJsonLine(jsonl, [&](std::optional<json::object> o) {
    const json::value* result = o ? o->if_contains("result") : nullptr;
    if (!o || StringAt(*o, "custom_id").empty() || !result || !result->is_object()) {
      ++results.malformed;
      return;
    }
    const json::object& r = result->as_object();
    UpstreamLine line;
    line.custom_id = StringAt(*o, "custom_id");
    std::string type = StringAt(r, "type");
    if (type == "succeeded" && r.if_contains("message")) {
      line.response = http::Response{200, {}, json::serialize(r.at("message"))};
    } else if (type == "errored" && r.if_contains("error")) {
      const json::value& envelope = r.at("error");
      std::string error_type;
      if (envelope.is_object()) {
        const json::value* inner = envelope.as_object().if_contains("error");
        if (inner && inner->is_object()) error_type = StringAt(inner->as_object(), "type");
      }
      line.response =
          http::Response{StatusOfAnthropicError(error_type), {}, json::serialize(envelope)};
    } else if (type == "canceled") {
      line.error_code = "batch_cancelled";
      line.error_message = "The provider cancelled this request with its batch.";
    } else if (type == "expired") {
      line.error_code = "batch_expired";
      line.error_message =
          "This request could not be executed before the provider's batch "
          "expired.";
    } else {
      ++results.malformed;
      return;
    }
    if (line.response) line.response->headers.Set("content-type", "application/json");
    results.lines.push_back(std::move(line));
  });
}

std::string Rfc3339Seconds(WallTime time) {
  std::time_t t = std::chrono::system_clock::to_time_t(
      std::chrono::time_point_cast<std::chrono::system_clock::duration>(time));
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace sluice::provider_batch
