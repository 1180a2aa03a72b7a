#include "mock/trace_log.h"

#include <boost/json.hpp>

namespace sluice::mock {
namespace {

boost::json::value NullIfEmpty(const std::string& text) {
  if (text.empty()) return nullptr;
  return boost::json::string(text);
}

}  // namespace

void TraceLog::Add(std::string path, const http::Headers& headers, int status) {
  if (entries_.size() == kCapacity) entries_.pop_front();
  Entry entry;
  entry.path = std::move(path);
  entry.client_request_id = headers.Get("x-client-request-id").value_or("");
  entry.traceparent = headers.Get("traceparent").value_or("");
  entry.tracestate = headers.Get("tracestate").value_or("");
  entry.status = status;
  entries_.push_back(std::move(entry));
}

std::string TraceLog::ToJson() const {
  boost::json::array data;
  for (const Entry& entry : entries_) {
    data.push_back(
        boost::json::object{{"path", entry.path},
                            {"x-client-request-id", NullIfEmpty(entry.client_request_id)},
                            {"traceparent", NullIfEmpty(entry.traceparent)},
                            {"tracestate", NullIfEmpty(entry.tracestate)},
                            {"status", entry.status}});
  }
  return boost::json::serialize(boost::json::object{{"data", std::move(data)}});
}

}  // namespace sluice::mock
