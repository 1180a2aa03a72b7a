// SseParser: an incremental parser of server-sent events (text/event-stream) following the WHATWG
// rules, plus FormatSseData for servers that emit them. Pure: no I/O, no clock.
// Threading: thread-compatible (one owner per parser).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sluice::http {

struct SseEvent {
  std::string event;  // the `event:` field; empty when absent (the WHATWG default "message")
  std::string data;   // `data:` lines joined with "\n"
  std::string id;     // the last `id:` seen on the stream (it carries over to later events)

  friend bool operator==(const SseEvent&, const SseEvent&) = default;
};

// Feed bytes as they arrive, in pieces of any size; each call returns the events completed by
// those bytes, in order. Lines may end with "\n", "\r\n" or "\r", also split across calls. A
// leading UTF-8 BOM is skipped; comments (":...") and unknown fields (including `retry`) are
// ignored; an event with no `data:` line is not dispatched (per the spec). An event not yet
// terminated by a blank line stays buffered; the caller drops it at end of stream.
class SseParser {
 public:
  std::vector<SseEvent> Feed(std::string_view bytes);

  // True when bytes of an unfinished line or event are buffered (useful at end of stream to
  // notice a truncated event).
  bool HasPartialEvent() const;

 private:
  void ProcessLine(std::string_view line, std::vector<SseEvent>& out);
  void ProcessField(std::string_view name, std::string_view value);
  void Dispatch(std::vector<SseEvent>& out);

  std::string line_;        // the unfinished line carried over from the previous Feed
  bool after_cr_ = false;   // the last byte fed was "\r": a leading "\n" next is part of it
  bool at_start_ = true;    // nothing fed yet: a BOM may follow
  std::string bom_prefix_;  // the first bytes while they still could be a BOM
  std::string event_;
  std::string data_;
  std::string last_id_;
  bool has_data_ = false;
};

// One SSE event carrying `json`: "data: <json>\n\n". A payload containing line breaks is split
// into several `data:` lines, so a parser joins it back to the same text.
std::string FormatSseData(std::string_view json);

}  // namespace sluice::http
