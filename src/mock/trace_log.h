// TraceLog: what the mock was told about each request to its /v1/ routes — the client's
// x-client-request-id, traceparent and tracestate — and the status it answered, kept for the
// last 10,000 requests and served at GET /mock/traces, so a test can prove that sluice passes a
// request's id and trace to the provider on every attempt. Thread-compatible (the mock's io
// thread owns it).
#pragma once

#include <cstddef>
#include <deque>
#include <string>

#include "http/message.h"

namespace sluice::mock {

class TraceLog {
 public:
  struct Entry {
    std::string path;               // "/v1/chat/completions"
    std::string client_request_id;  // empty: the header was absent
    std::string traceparent;
    std::string tracestate;
    int status = 0;  // 0: the connection was reset or left hanging
  };

  static constexpr std::size_t kCapacity = 10000;

  // Records one request to `path` with `headers`, answered with `status`; the oldest entry goes
  // once there are kCapacity.
  void Add(std::string path, const http::Headers& headers, int status);

  // {"data":[{"path","x-client-request-id","traceparent","tracestate","status"},...]}, oldest
  // first; an absent header is null.
  std::string ToJson() const;

  void Clear() { entries_.clear(); }
  const std::deque<Entry>& entries() const { return entries_; }

 private:
  std::deque<Entry> entries_;
};

}  // namespace sluice::mock
