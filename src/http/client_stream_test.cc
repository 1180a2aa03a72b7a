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

}  // namespace
}  // namespace sluice::http
