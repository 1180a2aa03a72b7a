#include "provider_batch/openai_batch_wire.h"

#include <boost/json.hpp>

#include "provider_batch/json_fields.h"

namespace sluice::provider_batch {
namespace json = boost::json;
namespace {

UpstreamState StateOf(std::string_view status) {
  if (status == "failed") return UpstreamState::kFailed;
  if (status == "completed" || status == "expired" || status == "cancelled") {
    return UpstreamState::kEnded;
  }
  return UpstreamState::kRunning;  // validating, in_progress, finalizing, cancelling
}

}  // namespace

std::string OpenAiInputFile(const std::vector<UpstreamRequest>& requests) {
  std::string out;
  for (const UpstreamRequest& r : requests) {
    json::object line{{"custom_id", r.custom_id}, {"method", "POST"}, {"url", r.endpoint}};
    out += json::serialize(line);
    out.pop_back();  // the body goes in as it is, compact: it was one JSONL line already
    boost::system::error_code ec;
    json::value body = json::parse(r.body, ec);
    out += ",\"body\":" + (ec ? r.body : json::serialize(body)) + "}\n";
  }
  return out;
}

std::string OpenAiUploadBody(std::string_view boundary, std::string_view content) {
  std::string b(boundary);
  std::string out;
  out += "--" + b + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n";
  out += "--" + b +
         "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"batch.jsonl\"\r\n"
         "Content-Type: application/jsonl\r\n\r\n";
  out += content;
  out += "\r\n--" + b + "--\r\n";
  return out;
}

Result<OpenAiBatch> ParseOpenAiBatch(std::string_view body) {
  std::optional<json::object> o = ParseObject(body);
  if (!o || StringAt(*o, "object") != "batch" || StringAt(*o, "id").empty()) {
    return InvalidArgumentError("the provider's answer is not a Batch object");
  }
  OpenAiBatch batch;
  batch.id = StringAt(*o, "id");
  batch.status.status = StringAt(*o, "status");
  batch.status.state = StateOf(batch.status.status);
  for (std::string_view key : {"output_file_id", "error_file_id"}) {
    if (std::string id = StringAt(*o, key); !id.empty()) {
      batch.status.result_locations.push_back(id);
    }
  }
  const json::value* errors = o->if_contains("errors");
  if (errors && errors->is_object()) {
    const json::value* data = errors->as_object().if_contains("data");
    if (data && data->is_array() && !data->as_array().empty() && data->as_array()[0].is_object()) {
      const json::object& first = data->as_array()[0].as_object();
      batch.status.error_code = StringAt(first, "code");
      batch.status.error_message = StringAt(first, "message");
    }
  }
  return batch;
}

Result<OpenAiBatchPage> FindInOpenAiBatchPage(std::string_view body,
                                              std::string_view submission_id) {
  std::optional<json::object> o = ParseObject(body);
  const json::value* data = o ? o->if_contains("data") : nullptr;
  if (!data || !data->is_array()) {
    return InvalidArgumentError("the provider's answer is not a list of batches");
  }
  OpenAiBatchPage page;
  for (const json::value& b : data->as_array()) {
    if (!b.is_object()) continue;
    const json::value* metadata = b.as_object().if_contains("metadata");
    if (metadata && metadata->is_object() &&
        StringAt(metadata->as_object(), "sluice_submission") == submission_id) {
      page.found = StringAt(b.as_object(), "id");
      return page;
    }
  }
  const json::value* more = o->if_contains("has_more");
  if (more && more->is_bool() && more->as_bool()) {
    std::string last = StringAt(*o, "last_id");
    if (!last.empty()) page.next_after = last;
  }
  return page;
}

void ParseOpenAiResultFile(std::string_view jsonl, UpstreamResults& results) {
  ForEachJsonLine(jsonl, [&](std::optional<json::object> o) {
    if (!o || StringAt(*o, "custom_id").empty()) {
      ++results.malformed;
      return;
    }
    UpstreamLine line;
    line.custom_id = StringAt(*o, "custom_id");
    const json::value* response = o->if_contains("response");
    const json::value* error = o->if_contains("error");
    if (response && response->is_object()) {
      const json::object& r = response->as_object();
      const json::value* status = r.if_contains("status_code");
      const json::value* body = r.if_contains("body");
      if (!status || !status->is_int64() || !body) {
        ++results.malformed;
        return;
      }
      http::Response answer;
      answer.status = static_cast<int>(status->as_int64());
      answer.body = json::serialize(*body);
      answer.headers.Set("content-type", "application/json");
      if (std::string id = StringAt(r, "request_id"); !id.empty()) {
        answer.headers.Set("x-request-id", id);
      }
      line.response = std::move(answer);
    } else if (error && error->is_object()) {
      line.error_code = StringAt(error->as_object(), "code");
      line.error_message = StringAt(error->as_object(), "message");
    } else {
      ++results.malformed;
      return;
    }
    results.lines.push_back(std::move(line));
  });
}

}  // namespace sluice::provider_batch
