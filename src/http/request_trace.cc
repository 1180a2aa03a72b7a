#include "http/request_trace.h"

#include <algorithm>

#include "common/ids.h"

namespace sluice::http {
namespace {

// Far beyond the 512 characters the spec asks every vendor to pass on; a longer one is dropped.
constexpr std::size_t kMaxTracestateSize = 8192;

bool IsPrintableAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

std::string RequestIdOf(const Headers& headers) {
  for (std::string_view name : {"x-client-request-id", "x-request-id"}) {
    std::optional<std::string_view> id = headers.Get(name);
    if (id && IsUsableRequestId(*id)) return std::string(*id);
  }
  return NewId("req_");
}

// `values` joined with ',', as HTTP combines the values of a repeated field.
std::string Joined(const std::vector<std::string_view>& values) {
  std::string joined;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) joined += ',';
    joined += values[i];
  }
  return joined;
}

}  // namespace

bool IsUsableRequestId(std::string_view id) {
  return !id.empty() && id.size() <= kMaxRequestIdSize &&
         std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

RequestTrace TraceOfRequest(const Headers& headers) {
  RequestTrace trace;
  trace.request_id = RequestIdOf(headers);
  std::vector<std::string_view> traceparents = headers.GetAll("traceparent");
  std::optional<TraceParent> parent;
  if (traceparents.size() == 1) parent = ParseTraceparent(traceparents.front());
  if (!parent) {
    trace.trace = NewTrace();
    return trace;
  }
  trace.trace = std::move(*parent);
  std::string tracestate = Joined(headers.GetAll("tracestate"));
  if (tracestate.size() <= kMaxTracestateSize && IsPrintableAscii(tracestate)) {
    trace.tracestate = std::move(tracestate);
  }
  return trace;
}

RequestTrace NewRequestTrace(std::string request_id) {
  RequestTrace trace;
  trace.request_id = std::move(request_id);
  trace.trace = NewTrace();
  return trace;
}

std::string StampUpstreamAttempt(const RequestTrace& trace, Headers& headers) {
  std::string traceparent = FormatTraceparent(ChildOf(trace.trace));
  headers.Set("x-client-request-id", trace.request_id);
  headers.Set("traceparent", traceparent);
  if (trace.tracestate.empty()) {
    headers.Remove("tracestate");
  } else {
    headers.Set("tracestate", trace.tracestate);
  }
  return traceparent;
}

}  // namespace sluice::http
