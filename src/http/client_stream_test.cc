// Client::Open against a scripted server: body pieces arrive as the server sends them, a
// finished stream returns its connection to the pool, an abandoned one closes it.
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <string>
#include <vector>

#include "http/client.h"
#include "http/client_test_fixture.h"
#include "http/sse.h"

namespace sluice::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using test::ClientTest;
using test::FixedResponse;
using test::kUseTuple;
using test::RawRequest;
using test::ReadRequest;
using test::ScriptedServer;
using test::ServeOkForever;
using test::Socket;
using test::WaitForClose;
using test::WriteBytes;
using ::testing::HasSubstr;

// Streams an SSE body: the second event is only sent once the test has read the first, so the
// first piece must have been delivered before the body was complete.
class StreamingTest : public ClientTest {
 protected:
  StreamingTest() : gate_(io_, asio::steady_timer::time_point::max()) {}

  ScriptedServer& ServeEvents() {
    return Serve([this](Socket& socket, int index) -> asio::awaitable<void> {
      if (index > 0) co_return co_await ServeOkForever(socket, index);
      boost::beast::flat_buffer buffer;
      RawRequest request;
      if (!co_await ReadRequest(socket, buffer, request)) co_return;
      if (!co_await WriteBytes(socket,
                               "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n"
                               "9\r\ndata: 1\n\n\r\n")) {
        co_return;
      }
      co_await gate_.async_wait(kUseTuple);  // opened by the test
      if (!co_await WriteBytes(socket, "5\r\ndata:\r\n6\r\n 2\n\nda\r\n0\r\n\r\n")) co_return;
      co_await ServeOkForever(socket, index);  // later requests on this connection
    });
  }

  asio::steady_timer gate_;
};

TEST_F(StreamingTest, OpenYieldsBodyPiecesAsTheyArriveThenReusesConnection) {
  auto& server = ServeEvents();
  MakeClient();
  auto pieces = Run([&]() -> asio::awaitable<Result<std::vector<std::string>>> {
    ClientRequest request = Get(server.Url("/v1/chat/completions"));
    auto stream = co_await client_->Open(request);
    if (!stream.ok()) co_return stream.status();
    EXPECT_EQ((*stream)->status(), 200);
    EXPECT_EQ((*stream)->headers().Get("content-type"), "text/event-stream");
    std::vector<std::string> out;
    while (true) {
      auto piece = co_await (*stream)->Next();
      if (!piece.ok()) co_return piece.status();
      if (!piece->has_value()) break;
      out.push_back(**piece);
      gate_.cancel();
    }
    co_return out;
  });
  ASSERT_TRUE(pieces.ok()) << pieces.status();
  ASSERT_GE(pieces->size(), 2u);
  EXPECT_EQ(pieces->front(), "data: 1\n\n");
  SseParser parser;
  std::vector<SseEvent> events;
  for (const std::string& piece : *pieces) {
    for (SseEvent& event : parser.Feed(piece)) events.push_back(std::move(event));
  }
  EXPECT_EQ(events, (std::vector<SseEvent>{{"", "1", ""}, {"", "2", ""}}));
  EXPECT_TRUE(parser.HasPartialEvent());  // the trailing "da"

  ASSERT_TRUE(Send(Get(server.Url())).ok());
  EXPECT_EQ(server.accepted(), 1);  // the finished stream returned its connection
}

TEST_F(StreamingTest, DestroyingStreamEarlyClosesItsConnection) {
  auto& server = ServeEvents();
  MakeClient();
  auto first = Run([&]() -> asio::awaitable<Result<std::string>> {
    auto stream = co_await client_->Open(Get(server.Url()));
    if (!stream.ok()) co_return stream.status();
    auto piece = co_await (*stream)->Next();
    if (!piece.ok()) co_return piece.status();
    co_return piece->value_or("");
  });  // the stream is destroyed here, mid-body
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, "data: 1\n\n");
  Result<Response> next = Send(Get(server.Url()));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->body, "ok");
  EXPECT_EQ(server.accepted(), 2);
}

// A server that sends an SSE piece every `gap`, `pieces` times, then ends the body; or, with
// `pieces` 0, one piece and then silence.
class PacedStreamTest : public ClientTest {
 protected:
  ScriptedServer& ServePaced(std::chrono::milliseconds gap, int pieces) {
    return Serve([this, gap, pieces](Socket& socket, int) -> asio::awaitable<void> {
      boost::beast::flat_buffer buffer;
      RawRequest request;
      if (!co_await ReadRequest(socket, buffer, request)) co_return;
      if (!co_await WriteBytes(socket,
                               "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n9\r\ndata: 0\n\n\r\n")) {
        co_return;
      }
      if (pieces == 0) co_return co_await WaitForClose(socket);
      for (int i = 1; i < pieces; ++i) {
        asio::steady_timer pause(io_, gap);
        co_await pause.async_wait(kUseTuple);
        if (!co_await WriteBytes(socket, "9\r\ndata: " + std::to_string(i % 10) + "\n\n\r\n")) {
          co_return;
        }
      }
      co_await WriteBytes(socket, "0\r\n\r\n");
      co_await WaitForClose(socket);
    });
  }

  // Reads the stream to its end: the pieces, or the failure that cut it.
  Result<std::vector<std::string>> ReadAll(ClientRequest request) {
    return Run([&]() -> asio::awaitable<Result<std::vector<std::string>>> {
      auto stream = co_await client_->Open(request);
      if (!stream.ok()) co_return stream.status();
      std::vector<std::string> out;
      while (true) {
        auto piece = co_await (*stream)->Next();
        if (!piece.ok()) co_return piece.status();
        if (!piece->has_value()) co_return out;
        out.push_back(**piece);
      }
    });
  }
};

TEST_F(PacedStreamTest, AStreamOutlivesTheTotalTimeoutWhileItKeepsSending) {
  auto& server = ServePaced(50ms, 6);  // 250 ms of body
  ClientOptions options;
  options.total_timeout = 100ms;
  options.stream_idle_timeout = 2s;
  MakeClient(options);
  auto pieces = ReadAll(Get(server.Url()));
  ASSERT_TRUE(pieces.ok()) << pieces.status();
  EXPECT_EQ(pieces->size(), 6u);
}

TEST_F(PacedStreamTest, AQuietStreamIsCutByTheIdleTimeout) {
  auto& server = ServePaced(0ms, 0);
  MakeClient();
  ClientRequest request = Get(server.Url());
  request.stream_idle_timeout = 100ms;
  auto pieces = ReadAll(request);
  ASSERT_FALSE(pieces.ok());
  EXPECT_EQ(pieces.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_THAT(pieces.status().message(), HasSubstr("stream_idle_timeout (100ms)"));
}

}  // namespace
}  // namespace sluice::http
