// Tests request bodies that handlers read themselves (ServerOptions::stream_body and
// Exchange::ReadBody): pieces, chunked bodies, limits, 100-continue, early answers, clients that
// go away or stall, and ReadBody on ordinary requests.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <optional>

#include "http/server.h"
#include "http/testing/raw_connection.h"
#include "http/testing/server_harness.h"

namespace sluice::http {
namespace {

using testing::CloseKind;
using testing::RawConnection;
using testing::RawResponse;

namespace asio = boost::asio;

// Streams bodies under /upload; other paths get their body whole. Runs on the io thread.
class BodyReader {
 public:
  asio::awaitable<void> Serve(Exchange& exchange) {
    std::string path(exchange.request().Path());
    if (path == "/upload/early") {
      std::string message = "answered without reading";
      co_await Answer(exchange, 400, std::move(message));
      co_return;
    }
    std::string body;
    std::size_t pieces = 0;
    std::size_t largest = 0;
    Status status;
    for (;;) {
      Result<std::string_view> piece = co_await exchange.ReadBody();
      if (!piece.ok()) {
        status = piece.status();
        break;
      }
      if (piece->empty()) break;
      ++pieces;
      largest = std::max(largest, piece->size());
      body.append(*piece);
    }
    Finish(status);
    if (!status.ok()) {
      int code = status.code() == StatusCode::kResourceExhausted ? 413 : 400;
      std::string name(StatusCodeName(status.code()));
      co_await Answer(exchange, code, std::move(name));
      co_return;
    }
    Response response;
    response.headers.Set("x-pieces", std::to_string(pieces));
    response.headers.Set("x-largest-piece", std::to_string(largest));
    response.body = std::move(body);
    Status sent = co_await exchange.Respond(std::move(response));
    (void)sent;
  }

  // The status the last handler's reading ended with (waits at most 10 s for one).
  std::optional<Status> WaitForReadStatus() {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return last_.has_value(); });
    return last_;
  }

 private:
  static asio::awaitable<void> Answer(Exchange& exchange, int status, std::string message) {
    Response response{.status = status, .headers = {}, .body = std::move(message)};
    Status sent = co_await exchange.Respond(std::move(response));
    (void)sent;
  }

  void Finish(Status status) {
    {
      std::lock_guard lock(mu_);
      last_ = std::move(status);
    }
    cv_.notify_all();
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<Status> last_;
};

class StreamHarness {
 public:
  explicit StreamHarness(ServerOptions options = Streaming())
      : harness_(std::move(options), [this](Exchange& e) { return reader_.Serve(e); }) {
    EXPECT_TRUE(harness_.start().ok()) << harness_.start();
  }

  static ServerOptions Streaming() {
    ServerOptions options;
    options.stream_body = [](const Request& head) { return head.Path().starts_with("/upload"); };
    return options;
  }

  RawConnection Connect() { return harness_.Connect(); }
  BodyReader& reader() { return reader_; }

 private:
  BodyReader reader_;
  testing::ServerHarness harness_;
};

std::string Pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 7919) % 251);
  return s;
}

std::string Post(std::string_view path, std::string_view body) {
  return "POST " + std::string(path) +
         " HTTP/1.1\r\nhost: a\r\ncontent-length: " + std::to_string(body.size()) + "\r\n\r\n" +
         std::string(body);
}

TEST(ServerStreamBodyTest, ContentLengthBodyArrivesInBoundedPieces) {
  StreamHarness harness;
  auto conn = harness.Connect();
  std::string body = Pattern(300 * 1024);
  ASSERT_TRUE(conn.Send(Post("/upload", body)).ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(response->body == body) << "the body did not arrive byte for byte";
  EXPECT_GE(std::stoul(std::string(*response->headers.Get("x-pieces"))), 5u);
  EXPECT_LE(std::stoul(std::string(*response->headers.Get("x-largest-piece"))), 64u * 1024);
  EXPECT_TRUE(response->keep_alive);
  // The connection serves the next request.
  ASSERT_TRUE(conn.Send(Post("/upload", "again")).ok());
  Result<RawResponse> next = conn.ReadResponse();
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->body, "again");
}

TEST(ServerStreamBodyTest, ChunkedBodyArrivesWhole) {
  StreamHarness harness;
  auto conn = harness.Connect();
  std::string body = Pattern(100 * 1024);
  std::string request = "POST /upload HTTP/1.1\r\nhost: a\r\ntransfer-encoding: chunked\r\n\r\n";
  for (std::size_t at = 0; at < body.size(); at += 7000) {
    std::string chunk = body.substr(at, 7000);
    char size[16];
    std::snprintf(size, sizeof(size), "%zx", chunk.size());
    request += std::string(size) + "\r\n" + chunk + "\r\n";
  }
  request += "0\r\n\r\n";
  ASSERT_TRUE(conn.Send(request).ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_TRUE(response->body == body);
}

TEST(ServerStreamBodyTest, StreamedRequestsHaveTheirOwnLimit) {
  ServerOptions options = StreamHarness::Streaming();
  options.max_body_bytes = 10;
  options.max_streamed_body_bytes = 100;
  StreamHarness harness(options);
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send(Post("/upload", std::string(100, 'x'))).ok());
  Result<RawResponse> at_limit = conn.ReadResponse();
  ASSERT_TRUE(at_limit.ok()) << at_limit.status();
  EXPECT_EQ(at_limit->status, 200);
  ASSERT_TRUE(conn.Send(Post("/other", std::string(11, 'x'))).ok());
  Result<RawResponse> ordinary = conn.ReadResponse();
  ASSERT_TRUE(ordinary.ok()) << ordinary.status();
  EXPECT_EQ(ordinary->status, 413);
}

TEST(ServerStreamBodyTest, DeclaredLengthPastTheLimitIs413BeforeTheHandler) {
  ServerOptions options = StreamHarness::Streaming();
  options.max_streamed_body_bytes = 100;
  StreamHarness harness(options);
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("POST /upload HTTP/1.1\r\nhost: a\r\ncontent-length: 101\r\n\r\n").ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 413);
  EXPECT_FALSE(response->keep_alive);
}

TEST(ServerStreamBodyTest, ChunkedBodyPastTheLimitIsResourceExhaustedAndCloses) {
  ServerOptions options = StreamHarness::Streaming();
  options.max_streamed_body_bytes = 100;
  StreamHarness harness(options);
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("POST /upload HTTP/1.1\r\nhost: a\r\ntransfer-encoding: chunked\r\n\r\n"
                        "50\r\n" +
                        std::string(80, 'a') + "\r\n50\r\n" + std::string(80, 'b') +
                        "\r\n0\r\n\r\n")
                  .ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->body, "RESOURCE_EXHAUSTED");
  EXPECT_FALSE(response->keep_alive);
  EXPECT_EQ(conn.ReadUntilClosed(), CloseKind::kEof);
}

TEST(ServerStreamBodyTest, MalformedChunkIsInvalidArgument) {
  StreamHarness harness;
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("POST /upload HTTP/1.1\r\nhost: a\r\ntransfer-encoding: chunked\r\n\r\n"
                        "zz\r\nhello\r\n0\r\n\r\n")
                  .ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(response->body, "INVALID_ARGUMENT");
}

TEST(ServerStreamBodyTest, ExpectContinueIsAnsweredWhenTheHandlerFirstReads) {
  StreamHarness harness;
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("POST /upload HTTP/1.1\r\nhost: a\r\ncontent-length: 3\r\n"
                        "expect: 100-continue\r\n\r\n")
                  .ok());
  Result<RawResponse> interim = conn.ReadResponse();
  ASSERT_TRUE(interim.ok()) << interim.status();
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(conn.Send("abc").ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, "abc");
}

TEST(ServerStreamBodyTest, AnswerBeforeTheBodyEndsClosesTheConnection) {
  StreamHarness harness;
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("POST /upload/early HTTP/1.1\r\nhost: a\r\ncontent-length: 1000\r\n"
                        "expect: 100-continue\r\n\r\n")
                  .ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 400) << "no 100 Continue when the handler never reads";
  EXPECT_FALSE(response->keep_alive);
  ASSERT_TRUE(conn.Send(std::string(1000, 'x')).ok());  // the body is read and dropped
  EXPECT_EQ(conn.ReadUntilClosed(), CloseKind::kEof);
}

TEST(ServerStreamBodyTest, ClientGoingAwayIsUnavailable) {
  StreamHarness harness;
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("POST /upload HTTP/1.1\r\nhost: a\r\ncontent-length: 1000\r\n\r\n" +
                        std::string(10, 'x'))
                  .ok());
  conn.Abort();
  std::optional<Status> status = harness.reader().WaitForReadStatus();
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->code(), StatusCode::kUnavailable) << *status;
}

TEST(ServerStreamBodyTest, StalledBodyIsDeadlineExceeded) {
  ServerOptions options = StreamHarness::Streaming();
  options.read_timeout = std::chrono::milliseconds(50);
  StreamHarness harness(options);
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("POST /upload HTTP/1.1\r\nhost: a\r\ncontent-length: 1000\r\n\r\nxy").ok());
  std::optional<Status> status = harness.reader().WaitForReadStatus();
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->code(), StatusCode::kDeadlineExceeded) << *status;
  EXPECT_NE(conn.ReadUntilClosed(), CloseKind::kTimeout);
}

TEST(ServerStreamBodyTest, ReadBodyHandsOutAnOrdinaryBodyOnce) {
  StreamHarness harness;
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send(Post("/ordinary", "whole body")).ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, "whole body");
  EXPECT_EQ(response->headers.Get("x-pieces"), "1");
}

TEST(ServerStreamBodyTest, StreamedRequestWithoutABodyEndsAtOnce) {
  StreamHarness harness;
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("GET /upload HTTP/1.1\r\nhost: a\r\n\r\n").ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->headers.Get("x-pieces"), "0");
  EXPECT_TRUE(response->keep_alive);
}

}  // namespace
}  // namespace sluice::http
