// RawConnection: a blocking loopback TCP client for server tests. It sends exact bytes (garbage,
// pipelined requests, partial headers) and reads responses back with Beast's parser, every read
// bounded by a deadline so a broken server fails the test instead of hanging it.
// Thread-compatible: one test thread uses one connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "http/message.h"

namespace sluice::http::testing {

struct RawResponse {
  int status = 0;
  Headers headers;
  std::string body;                 // de-chunked
  std::vector<std::string> chunks;  // each chunk as received, for chunked responses
  bool chunked = false;
  bool keep_alive = true;  // false when the server announced connection: close
};

// How a connection ended, as seen by ReadUntilClosed.
enum class CloseKind { kEof, kReset, kTimeout };

class RawConnection {
 public:
  // Connects to 127.0.0.1:port. Each later read waits at most `timeout`.
  static Result<RawConnection> Connect(
      std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  RawConnection(RawConnection&& other) noexcept;
  RawConnection& operator=(RawConnection&& other) noexcept;
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  ~RawConnection();

  Status Send(std::string_view bytes);
  // Reads exactly one response (content-length, chunked, or until EOF); `to_head` says it
  // answers a HEAD request (no body follows). kUnavailable when the connection closes first,
  // kAborted when it is reset, kDeadlineExceeded after the timeout.
  Result<RawResponse> ReadResponse(bool to_head = false);
  // Reads and drops everything until the server closes; says how it ended.
  CloseKind ReadUntilClosed();
  // Closes our side with a TCP reset (SO_LINGER 0).
  void Abort();

 private:
  RawConnection(int fd, std::chrono::milliseconds timeout) : fd_(fd), timeout_(timeout) {}
  // Appends what arrives to pending_; returns bytes read, 0 at EOF, or an error.
  Result<std::size_t> Receive();

  int fd_ = -1;
  std::chrono::milliseconds timeout_;
  std::string pending_;  // received, not yet parsed
};

}  // namespace sluice::http::testing
