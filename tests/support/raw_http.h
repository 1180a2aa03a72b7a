// RawHttp: one HTTP/1.1 exchange over a plain blocking loopback socket, for integration tests
// that must not depend on the code under test (http::Client). Thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "support/process.h"

namespace sluice::test_support {

struct RawResponse {
  int status = 0;
  std::string head;  // status line and header fields
  std::string body;  // everything after the blank line (the server closes the connection),
                     // de-chunked when it came chunked
};

// Sends `method target` with `body` to 127.0.0.1:`port` with "Connection: close" and reads the
// response until the server closes. kDeadlineExceeded if that takes longer than `timeout`.
Result<RawResponse> RawHttp(std::uint16_t port, const std::string& method,
                            const std::string& target, const std::string& body,
                            TestDuration timeout,
                            const std::string& content_type = "application/json",
                            const std::string& api_key = "sk-test");

// The same with exactly `headers` ("Name: value", no line ends) besides Host, Connection and
// Content-Length: for requests that carry their key another way (x-api-key) or none.
Result<RawResponse> RawHttpWithHeaders(std::uint16_t port, const std::string& method,
                                       const std::string& target, const std::string& body,
                                       TestDuration timeout,
                                       const std::vector<std::string>& headers);

// The multipart/form-data body of a Files API upload of `content` as in.jsonl with purpose
// "batch" and `fields` (e.g. expires_after[seconds]) before the file, and its content type.
struct UploadForm {
  std::string body;
  std::string content_type;
};
struct FormField {
  std::string name;
  std::string value;
};
UploadForm BatchUploadForm(const std::string& content, const std::vector<FormField>& fields = {});

// Binds and listens on 127.0.0.1:0; returns the socket (the caller closes it) and its port.
struct ListeningSocket {
  int fd = -1;
  std::uint16_t port = 0;
};
Result<ListeningSocket> ListenOnAnyPort();

}  // namespace sluice::test_support
