// Tests the HTTP server end to end over loopback: framing, keep-alive, pipelining, limits,
// handler failures, streaming, reset, TLS, Start errors, timeouts and drain. The server runs on
// its own io thread; clients are blocking sockets with deadlines (RawConnection).
#include "http/server.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "http/sleep.h"
#include "http/testing/raw_connection.h"
#include "http/testing/server_harness.h"
#include "http/testing/test_certificate.h"

namespace sluice::http {
namespace {

using testing::CloseKind;
using testing::RawConnection;
using testing::RawResponse;

namespace asio = boost::asio;

// The routes every test server answers. Runs on the server's io thread.
class Routes {
 public:
  explicit Routes(FakeClock* clock) : clock_(clock) {}

  asio::awaitable<void> Serve(Exchange& exchange) {
    {
      std::lock_guard lock(mu_);
      ++handled_;
      exchanges_.insert(&exchange);
    }
    const Request& request = exchange.request();
    std::string_view path = request.Path();
    if (path == "/noanswer") co_return;
    if (path == "/throw") throw std::runtime_error("a third-party library failed");
    if (path == "/reset") {
      exchange.Reset();
      co_return;
    }
    if (path.starts_with("/stream")) co_return co_await Stream(exchange, std::string(path));
    if (path == "/sleep") co_return co_await SleepThenAnswer(exchange);
    Response response;
    response.headers.Add("x-handler", "test");
    response.body = request.method + " " + request.target + " " + request.body;
    Status sent = co_await exchange.Respond(std::move(response));
    EXPECT_TRUE(sent.ok()) << sent;
  }

  int handled() {
    std::lock_guard lock(mu_);
    return handled_;
  }
  int distinct_exchanges() {
    std::lock_guard lock(mu_);
    return static_cast<int>(exchanges_.size());
  }
  // Blocks until `n` handlers are inside /sleep (at most 10 s).
  void WaitForSleepers(int n) {
    std::unique_lock lock(mu_);
    ASSERT_TRUE(cv_.wait_for(lock, std::chrono::seconds(10), [&] { return sleepers_ >= n; }));
  }

 private:
  asio::awaitable<void> Stream(Exchange& exchange, std::string path) {
    Headers headers;
    headers.Add("content-type", "text/event-stream");
    Status status = co_await exchange.BeginStream(200, std::move(headers));
    EXPECT_TRUE(status.ok()) << status;
    status = co_await exchange.WriteChunk("data: 1\n\n");
    if (path == "/stream-reset") {
      exchange.Reset();
      co_return;
    }
    if (path == "/stream-unfinished") co_return;
    status = co_await exchange.WriteChunk("");  // ignored: an empty chunk must not end it
    status = co_await exchange.WriteChunk("data: 2\n\n");
    status = co_await exchange.WriteChunk("data: [DONE]\n\n");
    status = co_await exchange.EndStream();
    EXPECT_TRUE(status.ok()) << status;
  }

  asio::awaitable<void> SleepThenAnswer(Exchange& exchange) {
    // The deadline is fixed before the test hears of us, so its Advance can never be missed.
    TimePoint deadline = clock_->Now() + std::chrono::seconds(10);
    {
      std::lock_guard lock(mu_);
      ++sleepers_;
    }
    cv_.notify_all();
    Status slept = co_await SleepUntil(*clock_, deadline);
    if (!slept.ok()) co_return;
    Status sent = co_await exchange.Respond(JsonResponse(200, R"({"slept":true})"));
    EXPECT_TRUE(sent.ok()) << sent;
  }

  FakeClock* clock_;
  std::mutex mu_;
  std::condition_variable cv_;
  int handled_ = 0;
  int sleepers_ = 0;
  std::set<const Exchange*> exchanges_;
};

Handler EchoHandler() {
  return [](Exchange& exchange) -> asio::awaitable<void> {
    Status sent = co_await exchange.Respond(Response{.status = 200, .headers = {}, .body = "ok"});
    (void)sent.ok();
  };
}

// A ServerHarness serving Routes, with the FakeClock the /sleep route waits on.
class ServerHarness {
 public:
  explicit ServerHarness(ServerOptions options = {}, int io_threads = 1)
      : routes_(&clock_),
        harness_(
            std::move(options), [this](Exchange& exchange) { return routes_.Serve(exchange); },
            io_threads) {
    EXPECT_TRUE(harness_.start().ok()) << harness_.start();
  }

  RawConnection Connect() { return harness_.Connect(); }
  std::uint16_t port() const { return harness_.port(); }
  Server& server() { return harness_.server(); }
  FakeClock& clock() { return clock_; }
  int handled() { return routes_.handled(); }
  int accepted_connections() { return routes_.distinct_exchanges(); }
  void WaitForSleepers(int n) { routes_.WaitForSleepers(n); }

 private:
  FakeClock clock_;  // outlives the server: sleeps unregister from it when destroyed
  Routes routes_;
  testing::ServerHarness harness_;
};

std::string ErrorType(const RawResponse& response) {
  boost::system::error_code ec;
  auto json = boost::json::parse(response.body, ec);
  if (ec || !json.is_object()) return "not json: " + response.body;
  return std::string(json.at("error").at("type").as_string());
}

TEST(ServerTest, AnswersARequest) {
  ServerHarness harness;
  auto conn = harness.Connect();
  ASSERT_TRUE(
      conn.Send("POST /echo?x=1 HTTP/1.1\r\nhost: a\r\ncontent-length: 5\r\n\r\nhello").ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "POST /echo?x=1 hello");
  EXPECT_EQ(response->headers.Get("content-length"), "20");
  EXPECT_EQ(response->headers.Get("x-handler"), "test");
}

TEST(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  ServerHarness harness;
  auto conn = harness.Connect();
  for (int i = 0; i < 5; ++i) {
    std::string body = "n" + std::to_string(i);
    ASSERT_TRUE(
        conn.Send("POST /echo HTTP/1.1\r\nhost: a\r\ncontent-length: 2\r\n\r\n" + body).ok());
    Result<RawResponse> response = conn.ReadResponse();
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->body, "POST /echo " + body);
    EXPECT_TRUE(response->keep_alive);
  }
  EXPECT_EQ(harness.accepted_connections(), 1);
}

TEST(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  ServerHarness harness;
  auto conn = harness.Connect();
  ASSERT_TRUE(
      conn.Send("GET /echo?first HTTP/1.1\r\nhost: a\r\n\r\n"
                "POST /echo?second HTTP/1.1\r\nhost: a\r\ntransfer-encoding: chunked\r\n\r\n"
                "3\r\nabc\r\n0\r\n\r\n"
                "GET /echo?third HTTP/1.1\r\nhost: a\r\n\r\n")
          .ok());
  for (std::string expected : {"GET /echo?first ", "POST /echo?second abc", "GET /echo?third "}) {
    Result<RawResponse> response = conn.ReadResponse();
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->body, expected);
  }
}

TEST(ServerTest, Http10RequestWithoutKeepAliveIsAnsweredThenClosed) {
  ServerHarness harness;
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("GET /echo HTTP/1.0\r\n\r\n").ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, "GET /echo ");
  EXPECT_EQ(response->headers.Get("connection"), "close");
  EXPECT_EQ(conn.ReadUntilClosed(), CloseKind::kEof);
}

TEST(ServerTest, HeadResponseCarriesContentLengthButNoBody) {
  ServerHarness harness;
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("HEAD /echo HTTP/1.1\r\nhost: a\r\n\r\n"
                        "GET /echo HTTP/1.1\r\nhost: a\r\n\r\n")
                  .ok());
  Result<RawResponse> head = conn.ReadResponse(/*to_head=*/true);
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->headers.Get("content-length"), std::to_string(std::string("HEAD /echo ").size()));
  Result<RawResponse> get = conn.ReadResponse();
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_EQ(get->body, "GET /echo ") << "HEAD must not have sent a body";
}

TEST(ServerTest, OversizeContentLengthGets413WithoutReadingTheBody) {
  ServerOptions options;
  options.max_body_bytes = 10;
  ServerHarness harness(options);
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("POST /echo HTTP/1.1\r\nhost: a\r\ncontent-length: 11\r\n\r\n").ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(ErrorType(*response), "invalid_request_error");
  EXPECT_FALSE(response->keep_alive);
  EXPECT_EQ(harness.handled(), 0);
}

TEST(ServerTest, OversizeChunkedBodyGets413) {
  ServerOptions options;
  options.max_body_bytes = 10;
  ServerHarness harness(options);
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("POST /echo HTTP/1.1\r\nhost: a\r\ntransfer-encoding: chunked\r\n\r\n"
                        "6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n")
                  .ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(harness.handled(), 0);
}

TEST(ServerTest, BodyAtTheLimitIsAccepted) {
  ServerOptions options;
  options.max_body_bytes = 10;
  ServerHarness harness(options);
  auto conn = harness.Connect();
  ASSERT_TRUE(
      conn.Send("POST /echo HTTP/1.1\r\nhost: a\r\ncontent-length: 10\r\n\r\n0123456789").ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
}

TEST(ServerTest, HugeHeadersGet431) {
  ServerOptions options;
  options.max_header_bytes = 1024;
  ServerHarness harness(options);
  auto conn = harness.Connect();
  ASSERT_TRUE(
      conn.Send("GET /echo HTTP/1.1\r\nhost: a\r\nx-big: " + std::string(2000, 'x') + "\r\n\r\n")
          .ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 431);
  EXPECT_EQ(ErrorType(*response), "invalid_request_error");
}

TEST(ServerTest, GarbageGets400AndTheConnectionCloses) {
  ServerHarness harness;
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("THIS IS NOT HTTP\r\n\r\n").ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(ErrorType(*response), "invalid_request_error");
  EXPECT_EQ(conn.ReadUntilClosed(), CloseKind::kEof);
}

TEST(ServerTest, UnsupportedTransferCodingGets501) {
  ServerHarness harness;
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("POST /echo HTTP/1.1\r\nhost: a\r\ntransfer-encoding: gzip, chunked\r\n\r\n"
                        "0\r\n\r\n")
                  .ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 501);
}

TEST(ServerTest, TransferCodingNotEndingInChunkedGets400) {
  ServerHarness harness;
  auto conn = harness.Connect();
  ASSERT_TRUE(
      conn.Send("POST /echo HTTP/1.1\r\nhost: a\r\ntransfer-encoding: gzip\r\n\r\nxx").ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 400);
}

TEST(ServerTest, ExpectContinueGets100BeforeTheBodyIsSent) {
  ServerHarness harness;
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("POST /echo HTTP/1.1\r\nhost: a\r\ncontent-length: 3\r\n"
                        "expect: 100-continue\r\n\r\n")
                  .ok());
  Result<RawResponse> interim = conn.ReadResponse();
  ASSERT_TRUE(interim.ok()) << interim.status();
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(conn.Send("abc").ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, "POST /echo abc");
}

TEST(ServerTest, HandlerThatDoesNotAnswerGets500Json) {
  ServerHarness harness;
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("GET /noanswer HTTP/1.1\r\nhost: a\r\n\r\n").ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(ErrorType(*response), "server_error");
  // The connection stays usable.
  ASSERT_TRUE(conn.Send("GET /echo HTTP/1.1\r\nhost: a\r\n\r\n").ok());
  EXPECT_TRUE(conn.ReadResponse().ok());
}

TEST(ServerTest, HandlerThatThrowsGets500Json) {
  ServerHarness harness;
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("GET /throw HTTP/1.1\r\nhost: a\r\n\r\n").ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(ErrorType(*response), "server_error");
}

TEST(ServerTest, StreamedChunksArriveInOrderAndTheStreamEnds) {
  ServerHarness harness;
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("GET /stream HTTP/1.1\r\nhost: a\r\n\r\n").ok());
  Result<RawResponse> response = conn.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(response->chunked);
  EXPECT_EQ(response->headers.Get("content-type"), "text/event-stream");
  EXPECT_EQ(response->chunks,
            (std::vector<std::string>{"data: 1\n\n", "data: 2\n\n", "data: [DONE]\n\n"}));
  // Keep-alive survives a completed stream.
  ASSERT_TRUE(conn.Send("GET /echo HTTP/1.1\r\nhost: a\r\n\r\n").ok());
  EXPECT_TRUE(conn.ReadResponse().ok());
}

TEST(ServerTest, ResetDropsTheConnection) {
  ServerHarness harness;
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("GET /reset HTTP/1.1\r\nhost: a\r\n\r\n").ok());
  EXPECT_EQ(conn.ReadUntilClosed(), CloseKind::kReset);
}

TEST(ServerTest, ResetMidStreamCutsTheResponse) {
  ServerHarness harness;
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("GET /stream-reset HTTP/1.1\r\nhost: a\r\n\r\n").ok());
  Result<RawResponse> response = conn.ReadResponse();
  EXPECT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kAborted) << response.status();
}

TEST(ServerTest, HandlerLeavingAStreamOpenClosesTheConnection) {
  ServerHarness harness;
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("GET /stream-unfinished HTTP/1.1\r\nhost: a\r\n\r\n").ok());
  Result<RawResponse> response = conn.ReadResponse();
  EXPECT_FALSE(response.ok()) << "a cut stream must not look complete";
}

TEST(ServerTest, SeveralIoThreadsServeConcurrentConnections) {
  ServerHarness harness(ServerOptions(), /*io_threads=*/2);
  std::vector<RawConnection> conns;
  for (int i = 0; i < 8; ++i) conns.push_back(harness.Connect());
  for (int round = 0; round < 20; ++round) {
    for (std::size_t i = 0; i < conns.size(); ++i) {
      std::string target = "/echo?c=" + std::to_string(i) + "&r=" + std::to_string(round);
      ASSERT_TRUE(conns[i].Send("GET " + target + " HTTP/1.1\r\nhost: a\r\n\r\n").ok());
    }
    for (std::size_t i = 0; i < conns.size(); ++i) {
      Result<RawResponse> response = conns[i].ReadResponse();
      ASSERT_TRUE(response.ok()) << response.status();
      EXPECT_EQ(response->body,
                "GET /echo?c=" + std::to_string(i) + "&r=" + std::to_string(round) + " ");
    }
  }
  EXPECT_EQ(harness.handled(), 160);
}

TEST(ServerTest, StartFailsWithUnavailableWhenThePortIsTaken) {
  ServerHarness first;
  ServerOptions options;
  options.port = first.port();
  boost::asio::io_context io;
  auto second = Server::Start(io, options, EchoHandler());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find("127.0.0.1:" + std::to_string(first.port())),
            std::string::npos)
      << second.status();
}

TEST(ServerTest, StartRejectsAHostThatIsNotAnAddress) {
  boost::asio::io_context io;
  ServerOptions options;
  options.host = "not an address";
  auto server = Server::Start(io, options, EchoHandler());
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), StatusCode::kInvalidArgument);
}

TEST(ServerTest, StartRejectsMissingOrBadTlsFiles) {
  Result<testing::TestCertificate> pki = testing::MakeTestCertificate();
  ASSERT_TRUE(pki.ok()) << pki.status();
  boost::asio::io_context io;
  ServerOptions options;
  options.tls = TlsServerOptions{pki->directory + "/missing.pem", pki->private_key_file};
  auto missing = Server::Start(io, options, EchoHandler());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("missing.pem"), std::string::npos);

  options.tls = TlsServerOptions{pki->chain_file, pki->chain_file};  // a certificate, not a key
  auto not_a_key = Server::Start(io, options, EchoHandler());
  ASSERT_FALSE(not_a_key.ok());
  EXPECT_EQ(not_a_key.status().code(), StatusCode::kInvalidArgument);
}

TEST(ServerTest, IdleConnectionIsClosedAfterIdleTimeout) {
  ServerOptions options;
  options.idle_timeout = std::chrono::milliseconds(50);
  ServerHarness harness(options);
  auto conn = harness.Connect();
  EXPECT_EQ(conn.ReadUntilClosed(), CloseKind::kEof);
}

TEST(ServerTest, SlowRequestIsCutOffAfterReadTimeout) {
  ServerOptions options;
  options.read_timeout = std::chrono::milliseconds(50);
  ServerHarness harness(options);
  auto conn = harness.Connect();
  ASSERT_TRUE(conn.Send("GET /echo HTTP/1.1\r\nhost: a\r\n").ok());  // never finished
  CloseKind kind = conn.ReadUntilClosed();
  EXPECT_NE(kind, CloseKind::kTimeout);
  EXPECT_EQ(harness.handled(), 0);
}

Result<RawResponse> Get(RawConnection& conn) {
  Status sent = conn.Send("GET /echo HTTP/1.1\r\nhost: a\r\n\r\n");
  if (!sent.ok()) return sent;
  return conn.ReadResponse();
}

TEST(ServerTest, ConnectionsBeyondMaxConnectionsGet503AndTheOthersGoOn) {
  ServerOptions options;
  options.max_connections = 2;
  ServerHarness harness(options);
  auto first = harness.Connect();
  auto second = harness.Connect();
  ASSERT_TRUE(Get(first).ok());  // both accepted and registered
  ASSERT_TRUE(Get(second).ok());

  auto third = harness.Connect();
  Result<RawResponse> refused = Get(third);
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(refused->status, 503);
  EXPECT_FALSE(refused->keep_alive);
  EXPECT_EQ(refused->headers.Get("retry-after"), "1");
  EXPECT_EQ(ErrorType(*refused), "server_error");
  EXPECT_NE(refused->body.find("max_connections"), std::string::npos);
  EXPECT_EQ(third.ReadUntilClosed(), CloseKind::kEof);
  EXPECT_EQ(harness.handled(), 2);  // the refused request never reached the handler

  Result<RawResponse> still = Get(first);  // the accepted connections are untouched
  ASSERT_TRUE(still.ok()) << still.status();
  EXPECT_EQ(still->status, 200);

  // Once one closes, a new connection is served. The server unregisters a closed connection
  // just after its socket closes, so a client may be refused a few times meanwhile.
  { RawConnection closed = std::move(second); }
  int status = 0;
  for (int attempt = 0; attempt < 200 && status != 200; ++attempt) {
    auto next = harness.Connect();
    Result<RawResponse> answer = Get(next);
    ASSERT_TRUE(answer.ok()) << answer.status();
    status = answer->status;
  }
  EXPECT_EQ(status, 200);
}

TEST(ServerTest, DrainClosesIdleConnectionsAndLetsInFlightRequestsFinish) {
  ServerHarness harness;
  auto idle = harness.Connect();
  auto busy = harness.Connect();
  ASSERT_TRUE(busy.Send("GET /sleep HTTP/1.1\r\nhost: a\r\n\r\n").ok());
  harness.WaitForSleepers(1);

  std::promise<void> drained;
  harness.server().Drain([&] { drained.set_value(); });
  EXPECT_EQ(idle.ReadUntilClosed(), CloseKind::kEof);
  EXPECT_FALSE(RawConnection::Connect(harness.port()).ok()) << "still accepting after Drain";

  harness.clock().Advance(std::chrono::seconds(10));  // the in-flight handler wakes up
  Result<RawResponse> response = busy.ReadResponse();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_FALSE(response->keep_alive) << "answers during drain carry connection: close";
  auto done = drained.get_future();
  EXPECT_EQ(done.wait_for(std::chrono::seconds(10)), std::future_status::ready);
}

TEST(ServerTest, DrainTimeoutCancelsHandlersThatDoNotFinish) {
  ServerOptions options;
  options.drain_timeout = std::chrono::milliseconds(20);
  ServerHarness harness(options);
  auto busy = harness.Connect();
  ASSERT_TRUE(busy.Send("GET /sleep HTTP/1.1\r\nhost: a\r\n\r\n").ok());
  harness.WaitForSleepers(1);
  std::promise<void> drained;
  harness.server().Drain([&] { drained.set_value(); });
  harness.server().Drain();  // idempotent
  auto done = drained.get_future();
  EXPECT_EQ(done.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_NE(busy.ReadUntilClosed(), CloseKind::kTimeout);
}

TEST(ServerTest, TlsRoundTripWithTheTestCertificate) {
  Result<testing::TestCertificate> pki = testing::MakeTestCertificate();
  ASSERT_TRUE(pki.ok()) << pki.status();
  ServerOptions options;
  options.tls = TlsServerOptions{pki->chain_file, pki->private_key_file};
  ServerHarness harness(options);
  Result<std::string> body = testing::TlsGet(harness.port(), pki->ca_file, "/echo?tls");
  ASSERT_TRUE(body.ok()) << body.status();
  EXPECT_EQ(*body, "GET /echo?tls ");
}

}  // namespace
}  // namespace sluice::http
