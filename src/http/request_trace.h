// RequestTrace: who one request is in sluice's logs and upstream — its request id (the client's,
// when it sent a usable one) and its W3C trace (the client's, or a new one) — and the headers
// each upstream attempt of it carries: x-client-request-id, traceparent (a fresh span per
// attempt) and the client's tracestate. Pure apart from the random ids; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/trace_context.h"
#include "http/message.h"

namespace sluice::http {

struct RequestTrace {
  std::string request_id;  // "req_…", a batch line's "batch_req_…", or the client's own
  TraceParent trace;       // the caller's context; each attempt is a child of it
  std::string tracestate;  // the client's, passed on as it came; empty: none
};

// The longest request id taken from a client: room for any id scheme in use (a UUID is 36), too
// short for the header to carry a payload into every log line.
inline constexpr std::size_t kMaxRequestIdSize = 128;

// Whether `id` can be a request id: 1 to kMaxRequestIdSize visible ASCII characters (no spaces,
// no controls), safe in a header and in a log line.
bool IsUsableRequestId(std::string_view id);

// The trace of a client's request with `headers`. Its id is the request's x-client-request-id
// (what OpenAI's SDKs send), else its x-request-id, the first that is usable, else a new
// "req_…" (an unusable one is replaced, not trimmed: an altered id matches nothing the client
// logged). Its trace is the request's traceparent when exactly one valid one came, with its
// tracestate (several fields joined with ',', as HTTP combines them; dropped unless printable
// ASCII); otherwise a new trace (NewTrace) without tracestate, as the spec asks.
RequestTrace TraceOfRequest(const Headers& headers);

// A trace of sluice's own making for `request_id` (a batch line): a new trace, no tracestate.
RequestTrace NewRequestTrace(std::string request_id);

// Sets the headers of one upstream attempt of `trace` on `headers`: x-client-request-id, a
// traceparent that is a child of the trace (ChildOf: a fresh parent id each time), and the
// tracestate when there is one. Returns the traceparent set, for the attempt's log line.
std::string StampUpstreamAttempt(const RequestTrace& trace, Headers& headers);

}  // namespace sluice::http
