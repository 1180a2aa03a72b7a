#include "support/raw_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace sluice::test_support {
namespace {

using SteadyClock = std::chrono::steady_clock;

sockaddr_in Loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// Waits until `fd` is readable or `deadline`; false on timeout.
bool WaitReadable(int fd, SteadyClock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, left.count() < 0 ? 0 : static_cast<int>(left.count())) > 0;
}

// The payload of a chunked body (chunk extensions and trailers ignored).
std::string Dechunk(const std::string& body) {
  std::string payload;
  std::size_t at = 0;
  while (at < body.size()) {
    std::size_t line_end = body.find("\r\n", at);
    if (line_end == std::string::npos) break;
    std::size_t size = std::strtoul(body.c_str() + at, nullptr, 16);
    if (size == 0) break;
    payload.append(body, line_end + 2, size);
    at = line_end + 2 + size + 2;
  }
  return payload;
}

Result<RawResponse> ParseResponse(const std::string& raw) {
  auto blank = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.1 ", 0) != 0 || blank == std::string::npos || raw.size() < 12) {
    return InternalError("not an HTTP response: " + raw.substr(0, 200));
  }
  std::string head = raw.substr(0, blank);
  std::string lower = head;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string body = raw.substr(blank + 4);
  if (lower.find("transfer-encoding: chunked") != std::string::npos) body = Dechunk(body);
  return RawResponse{std::atoi(raw.c_str() + 9), std::move(head), std::move(body)};
}

}  // namespace

Result<RawResponse> RawHttp(std::uint16_t port, const std::string& method,
                            const std::string& target, const std::string& body,
                            TestDuration timeout, const std::string& content_type,
                            const std::string& api_key) {
  return RawHttpWithHeaders(port, method, target, body, timeout,
                            {"Authorization: Bearer " + api_key, "Content-Type: " + content_type});
}

Result<RawResponse> RawHttpWithHeaders(std::uint16_t port, const std::string& method,
                                       const std::string& target, const std::string& body,
                                       TestDuration timeout,
                                       const std::vector<std::string>& headers) {
  auto deadline = SteadyClock::now() + timeout;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return InternalError(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address = Loopback(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return UnavailableError(std::string("connect: ") + std::strerror(errno));
  }
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" +
                        std::to_string(port) + "\r\nConnection: close\r\n";
  for (const std::string& header : headers) request += header + "\r\n";
  request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    close(fd);
    return UnavailableError("short send");
  }
  std::string raw;
  char buffer[4096];
  while (true) {
    if (!WaitReadable(fd, deadline)) {
      close(fd);
      return DeadlineExceededError("no complete response in time; got: " + raw.substr(0, 200));
    }
    ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    raw.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  return ParseResponse(raw);
}

UploadForm BatchUploadForm(const std::string& content, const std::vector<FormField>& fields) {
  const std::string boundary = "sluiceboundary42";
  std::string more;
  for (const FormField& field : fields) {
    more += "\r\nContent-Disposition: form-data; name=\"" + field.name + "\"\r\n\r\n" +
            field.value + "\r\n--" + boundary;
  }
  return {"--" + boundary +
              "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--" + boundary +
              more +
              "\r\nContent-Disposition: form-data; name=\"file\"; "
              "filename=\"in.jsonl\"\r\nContent-Type: application/jsonl\r\n\r\n" +
              content + "\r\n--" + boundary + "--\r\n",
          "multipart/form-data; boundary=" + boundary};
}

Result<ListeningSocket> ListenOnAnyPort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = Loopback(0);
  socklen_t length = sizeof address;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(fd, 1) != 0 || getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd >= 0) close(fd);
    return InternalError(std::string("listen on 127.0.0.1:0: ") + std::strerror(errno));
  }
  return ListeningSocket{fd, ntohs(address.sin_port)};
}

}  // namespace sluice::test_support
