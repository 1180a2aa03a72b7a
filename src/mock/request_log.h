// RequestLog: when the mock is asked to record (`--record`), one line per generation request it
// received — when it arrived, when its answer was due, its status, the tokens its rate limiter
// charged and a label (the first word of the prompt's echo text) — so a benchmark can tell when
// each of its requests reached the provider and how long each waited. Thread-compatible (the
// mock's io thread owns it).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"

namespace sluice::mock {

class RequestLog {
 public:
  struct Entry {
    TimePoint arrived{};
    Duration answer_after{0};  // until the answer (or the fault) was due
    int status = 0;            // 0: the connection was reset or left hanging
    std::int64_t charged = 0;  // tokens charged by the rate limiter; 0 for a 429
    std::string label;
  };

  // Records one request. `text` is the prompt's echo text; its first word (at most 64 bytes, tabs
  // and control characters replaced) becomes the label.
  void Add(TimePoint arrived, Duration answer_after, int status, std::int64_t charged,
           std::string_view text);

  // Tab-separated: a header line, then one line per request in arrival order, times in
  // milliseconds since the first recorded request:
  // "arrived_ms\tanswered_ms\tstatus\tcharged\tlabel".
  std::string ToTsv() const;

  void Clear() { entries_.clear(); }
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
};

}  // namespace sluice::mock
