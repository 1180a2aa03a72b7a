// ResponseHead: serializes the status line and header fields of an HTTP/1.1 response. The
// server owns framing: handler fields named content-length, transfer-encoding and connection are
// replaced by what the server decides. Pure and socket-free. Thread-compatible.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "http/message.h"

namespace sluice::http {

struct ResponseHeadSpec {
  int status = 200;
  // Set: `content-length: N`. Unset: `transfer-encoding: chunked`. Ignored for 1xx/204/304,
  // which carry no body.
  std::optional<std::size_t> content_length;
  bool close = false;       // send `connection: close`
  bool keep_alive = false;  // send `connection: keep-alive` (HTTP/1.0 clients), unless close
};

// True for statuses that never carry a body (1xx, 204, 304).
bool StatusHasNoBody(int status);

// Replaces `out` with the head (ending in the blank line) and returns whether the connection
// must close afterwards: spec.close, or the handler's own `connection: close`. Fields whose name
// or value contains CR, LF or NUL are dropped (no response splitting). `out` is an output
// parameter so a connection can reuse its capacity for every response.
bool WriteResponseHead(const ResponseHeadSpec& spec, const Headers& headers, std::string& out);

}  // namespace sluice::http
