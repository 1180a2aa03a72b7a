// W3C Trace Context's `traceparent` (https://www.w3.org/TR/trace-context/): parsed as the spec
// asks of a receiver, formatted as version 00 for what sluice sends on, and new traces and
// spans. Parsing and formatting are pure; NewTrace and ChildOf draw from the operating system's
// randomness (NewHexId). Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice {

struct TraceParent {
  std::string trace_id;    // 32 lowercase hex digits, not all zero: the whole trace
  std::string parent_id;   // 16 lowercase hex digits, not all zero: the caller's span
  std::uint8_t flags = 0;  // trace-flags; bit 0 is "sampled"
};

// The traceparent in `header`, or nullopt when it is not one: "00-<32 hex>-<16 hex>-<2 hex>"
// exactly, lowercase hex only, neither id all zeros. Version ff is invalid. A later version
// (01 to fe) is read as the spec asks: at least 55 characters, the version 00 fields first and
// then the end or a '-' (what follows is ignored); only its sampled flag is kept, since the
// meaning of its other flags is unknown.
std::optional<TraceParent> ParseTraceparent(std::string_view header);

// "00-<trace_id>-<parent_id>-<flags as 2 hex digits>".
std::string FormatTraceparent(const TraceParent& parent);

// A new trace, for a request that came without a (valid) traceparent: random ids and flags 00.
// sluice records no spans, so it does not mark the trace sampled; the ids still let the
// upstream's logs be matched to sluice's.
TraceParent NewTrace();

// The context an outgoing call of `parent`'s trace sends: the same trace id and flags, and a
// fresh parent id (the span of that call).
TraceParent ChildOf(const TraceParent& parent);

}  // namespace sluice
