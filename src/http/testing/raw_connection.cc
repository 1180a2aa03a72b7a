// RawConnection over POSIX sockets with poll() deadlines; responses parsed by feeding bytes to a
// Beast response parser by hand.
#include "http/testing/raw_connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cerrno>
#include <cstring>
#include <utility>

namespace sluice::http::testing {
namespace bhttp = boost::beast::http;

Result<RawConnection> RawConnection::Connect(std::uint16_t port,
                                             std::chrono::milliseconds timeout) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return UnavailableError(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    std::string error = std::strerror(errno);
    ::close(fd);
    return UnavailableError("connect: " + error);
  }
  return RawConnection(fd, timeout);
}

RawConnection::RawConnection(RawConnection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      timeout_(other.timeout_),
      pending_(std::move(other.pending_)) {}

RawConnection& RawConnection::operator=(RawConnection&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    timeout_ = other.timeout_;
    pending_ = std::move(other.pending_);
  }
  return *this;
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

Status RawConnection::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return UnavailableError(std::string("send: ") + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return OkStatus();
}

Result<std::size_t> RawConnection::Receive() {
  pollfd pfd{.fd = fd_, .events = POLLIN, .revents = 0};
  int ready = ::poll(&pfd, 1, static_cast<int>(timeout_.count()));
  if (ready == 0) return DeadlineExceededError("no data from the server in time");
  if (ready < 0) return UnavailableError(std::string("poll: ") + std::strerror(errno));
  char buf[16 * 1024];
  ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
  if (n < 0) {
    if (errno == ECONNRESET) return AbortedError("connection reset by the server");
    return UnavailableError(std::string("recv: ") + std::strerror(errno));
  }
  pending_.append(buf, static_cast<std::size_t>(n));
  return static_cast<std::size_t>(n);
}

Result<RawResponse> RawConnection::ReadResponse(bool to_head) {
  RawResponse out;
  // With these callbacks Beast hands chunk data to us instead of storing it in the body. They
  // must outlive the parser, which keeps references to them.
  auto on_chunk_header = [&out](std::uint64_t size, boost::beast::string_view,
                                boost::beast::error_code&) {
    if (size > 0) out.chunks.emplace_back();
  };
  auto on_chunk_body = [&out](std::uint64_t, boost::beast::string_view data,
                              boost::beast::error_code&) -> std::size_t {
    out.chunks.back().append(data.data(), data.size());
    out.body.append(data.data(), data.size());
    return data.size();
  };
  bhttp::response_parser<bhttp::string_body> parser;
  parser.eager(true);
  parser.skip(to_head);
  parser.body_limit(boost::none);
  parser.on_chunk_header(on_chunk_header);
  parser.on_chunk_body(on_chunk_body);
  bool eof = false;
  while (!parser.is_done()) {
    boost::beast::error_code ec;
    std::size_t used = pending_.empty() && !eof ? 0 : parser.put(boost::asio::buffer(pending_), ec);
    if (ec && ec != bhttp::error::need_more) {
      return DataLossError("bad response from the server: " + ec.message());
    }
    pending_.erase(0, used);
    if (parser.is_done()) break;
    if (eof) {
      parser.put_eof(ec);
      if (ec) return UnavailableError("the server closed the connection: " + ec.message());
      break;
    }
    if (used > 0 && !pending_.empty()) continue;
    Result<std::size_t> n = Receive();
    if (!n.ok()) return n.status();
    eof = *n == 0;
  }
  auto& message = parser.get();
  out.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    out.headers.Add(std::string(field.name_string()), std::string(field.value()));
  }
  out.chunked = parser.chunked();
  out.keep_alive = message.keep_alive();
  if (!out.chunked) out.body = std::move(message.body());
  return out;
}

CloseKind RawConnection::ReadUntilClosed() {
  for (;;) {
    Result<std::size_t> n = Receive();
    if (n.ok() && *n == 0) return CloseKind::kEof;
    if (n.ok()) continue;
    if (n.status().code() == StatusCode::kDeadlineExceeded) return CloseKind::kTimeout;
    return CloseKind::kReset;
  }
}

void RawConnection::Abort() {
  linger option{.l_onoff = 1, .l_linger = 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &option, sizeof(option));
  ::close(fd_);
  fd_ = -1;
}

}  // namespace sluice::http::testing
