// Client against scripted raw servers on 127.0.0.1:0: success paths, keep-alive and the pool,
// and every failure class. Deadlines are real but small (100ms) and bounded; the tests never
// sleep: they run the io_context until the awaited operation completes.
#include "http/client.h"

#include <boost/beast/core/flat_buffer.hpp>
#include <string>

#include "http/client_test_fixture.h"

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

TEST_F(ClientTest, GetReturnsStatusHeadersAndBodyAndSendsHostAndUserAgent) {
  RawRequest seen;
  auto& server = Serve([&seen](Socket& socket, int) -> asio::awaitable<void> {
    boost::beast::flat_buffer buffer;
    if (!co_await ReadRequest(socket, buffer, seen)) co_return;
    co_await WriteBytes(socket, FixedResponse(200, "hello", "X-Test: yes\r\n"));
    co_await WaitForClose(socket);
  });
  MakeClient();
  ClientRequest request = Get(server.Url("/v1/models?limit=2"));
  request.headers.Add("authorization", "Bearer secret");
  Result<Response> response = Send(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "hello");
  EXPECT_EQ(response->headers.Get("x-test"), "yes");
  EXPECT_EQ(seen.method_string(), "GET");
  EXPECT_EQ(seen.target(), "/v1/models?limit=2");
  EXPECT_EQ(seen["host"], "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_THAT(std::string(seen["user-agent"]), ::testing::StartsWith("sluice/"));
  EXPECT_EQ(seen["authorization"], "Bearer secret");
}

TEST_F(ClientTest, PostSendsBodyAndReadsChunkedResponse) {
  RawRequest seen;
  auto& server = Serve([&seen](Socket& socket, int) -> asio::awaitable<void> {
    boost::beast::flat_buffer buffer;
    if (!co_await ReadRequest(socket, buffer, seen)) co_return;
    co_await WriteBytes(socket,
                        "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
    co_await WaitForClose(socket);
  });
  MakeClient();
  ClientRequest request;
  request.url = server.Url("/v1/chat/completions");
  request.body = R"({"model":"m"})";
  request.headers.Add("content-type", "application/json");
  Result<Response> response = Send(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, "hello world");
  EXPECT_EQ(seen.method_string(), "POST");
  EXPECT_EQ(seen.body(), R"({"model":"m"})");
  EXPECT_EQ(seen["content-length"], "13");
  EXPECT_EQ(seen["content-type"], "application/json");
}

TEST_F(ClientTest, NonSuccessStatusIsAResponseNotAnError) {
  auto& server = Serve([](Socket& socket, int) -> asio::awaitable<void> {
    boost::beast::flat_buffer buffer;
    RawRequest request;
    if (!co_await ReadRequest(socket, buffer, request)) co_return;
    co_await WriteBytes(socket, FixedResponse(429, R"({"error":{}})", "Retry-After: 2\r\n"));
    co_await WaitForClose(socket);
  });
  MakeClient();
  Result<Response> response = Send(Get(server.Url()));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 429);
  EXPECT_EQ(response->headers.Get("retry-after"), "2");
}

TEST_F(ClientTest, ReusesKeepAliveConnection) {
  auto& server = Serve(ServeOkForever);
  MakeClient();
  for (int i = 0; i < 3; ++i) {
    Result<Response> response = Send(Get(server.Url()));
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->body, "ok");
  }
  EXPECT_EQ(server.accepted(), 1);
}

TEST_F(ClientTest, DoesNotReuseConnectionTheServerAskedToClose) {
  auto& server = Serve([](Socket& socket, int) -> asio::awaitable<void> {
    boost::beast::flat_buffer buffer;
    RawRequest request;
    if (!co_await ReadRequest(socket, buffer, request)) co_return;
    co_await WriteBytes(socket, FixedResponse(200, "ok", "Connection: close\r\n"));
    co_await WaitForClose(socket);
  });
  MakeClient();
  ASSERT_TRUE(Send(Get(server.Url())).ok());
  ASSERT_TRUE(Send(Get(server.Url())).ok());
  EXPECT_EQ(server.accepted(), 2);
}

TEST_F(ClientTest, ExpiredIdleConnectionIsNotReused) {
  auto& server = Serve(ServeOkForever);
  ClientOptions options;
  options.idle_timeout = Duration::zero();
  MakeClient(options);
  ASSERT_TRUE(Send(Get(server.Url())).ok());
  ASSERT_TRUE(Send(Get(server.Url())).ok());
  EXPECT_EQ(server.accepted(), 2);
}

TEST_F(ClientTest, PoolCapBoundsConnectionsAndQueuedRequestsReuseThem) {
  auto& server = Serve(ServeOkForever);
  ClientOptions options;
  options.max_connections_per_origin = 2;
  MakeClient(options);
  int ok = 0;
  int finished = 0;
  for (int i = 0; i < 5; ++i) {
    asio::co_spawn(io_, client_->Send(Get(server.Url())),
                   [&](std::exception_ptr e, Result<Response> response) {
                     if (e) std::rethrow_exception(e);
                     ok += response.ok() ? 1 : 0;
                     ++finished;
                   });
  }
  RunUntil([&] { return finished == 5; });
  EXPECT_EQ(ok, 5);
  EXPECT_EQ(server.max_concurrent(), 2);
  EXPECT_EQ(server.accepted(), 2);
}

TEST_F(ClientTest, WaitForFreeConnectionEndsAtTotalTimeout) {
  auto& server = Serve([](Socket& socket, int) -> asio::awaitable<void> {
    co_await WaitForClose(socket);  // never answers: the only connection stays busy
  });
  ClientOptions options;
  options.max_connections_per_origin = 1;
  MakeClient(options);
  bool first_done = false;
  ClientRequest blocked = Get(server.Url());
  blocked.total_timeout = 10s;
  asio::co_spawn(io_, client_->Send(blocked),
                 [&](std::exception_ptr, Result<Response>) { first_done = true; });
  ClientRequest queued = Get(server.Url());
  queued.total_timeout = 100ms;
  Result<Response> response = Send(queued);
  EXPECT_EQ(response.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_THAT(response.status().message(), HasSubstr("waiting for a free connection"));
  EXPECT_FALSE(first_done);
  EXPECT_EQ(server.accepted(), 1);
  server.Stop();  // ends the blocked request before `first_done` goes out of scope
  RunUntil([&] { return first_done; });
}

TEST_F(ClientTest, RetriesStaleKeepAliveConnectionOnceOnFreshOne) {
  auto& server = Serve([](Socket& socket, int index) -> asio::awaitable<void> {
    if (index > 0) co_return co_await ServeOkForever(socket, index);
    // The first connection answers once, keep-alive, then the server closes it while idle.
    boost::beast::flat_buffer buffer;
    RawRequest request;
    if (!co_await ReadRequest(socket, buffer, request)) co_return;
    co_await WriteBytes(socket, FixedResponse(200, "first"));
  });
  MakeClient();
  Result<Response> first = Send(Get(server.Url()));
  ASSERT_TRUE(first.ok()) << first.status();
  Result<Response> second = Send(Get(server.Url()));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->body, "ok");
  EXPECT_EQ(server.accepted(), 2);
}

TEST_F(ClientTest, RetriesStaleConnectionOnlyOnce) {
  auto& server = Serve([](Socket& socket, int index) -> asio::awaitable<void> {
    boost::beast::flat_buffer buffer;
    RawRequest request;
    if (!co_await ReadRequest(socket, buffer, request)) co_return;
    // Connection 0 answers once then closes while idle; later ones close without answering.
    if (index == 0) co_await WriteBytes(socket, FixedResponse(200, "first"));
  });
  MakeClient();
  ASSERT_TRUE(Send(Get(server.Url())).ok());
  Result<Response> second = Send(Get(server.Url()));
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(server.accepted(), 2);  // the stale one and a single fresh retry
}

TEST_F(ClientTest, DoesNotRetryOnceResponseBytesArrived) {
  auto& server = Serve([](Socket& socket, int) -> asio::awaitable<void> {
    boost::beast::flat_buffer buffer;
    RawRequest request;
    if (!co_await ReadRequest(socket, buffer, request)) co_return;
    co_await WriteBytes(socket, FixedResponse(200, "first"));
    if (!co_await ReadRequest(socket, buffer, request)) co_return;
    co_await WriteBytes(socket, "HTTP/1.1 200 OK\r\nContent-Len");  // then closes
  });
  MakeClient();
  ASSERT_TRUE(Send(Get(server.Url())).ok());
  Result<Response> second = Send(Get(server.Url()));
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(server.accepted(), 1);
}

TEST_F(ClientTest, DoesNotRetryFreshConnectionClosedBeforeResponse) {
  auto& server = Serve([](Socket& socket, int) -> asio::awaitable<void> {
    boost::beast::flat_buffer buffer;
    RawRequest request;
    co_await ReadRequest(socket, buffer, request);  // then closes without answering
  });
  MakeClient();
  Result<Response> response = Send(Get(server.Url()));
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(response.status().message(), HasSubstr("closed the connection"));
  EXPECT_EQ(server.accepted(), 1);
}

TEST_F(ClientTest, ConnectionRefusedIsUnavailable) {
  auto& server = Serve(ServeOkForever);
  std::string url = server.Url();
  server.Stop();  // the port is now closed
  MakeClient();
  Result<Response> response = Send(Get(url));
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(response.status().message(), HasSubstr("refused"));
}

TEST_F(ClientTest, ResetMidBodyIsUnavailable) {
  auto& server = Serve([](Socket& socket, int) -> asio::awaitable<void> {
    boost::beast::flat_buffer buffer;
    RawRequest request;
    if (!co_await ReadRequest(socket, buffer, request)) co_return;
    co_await WriteBytes(socket, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..");
    test::ResetConnection(socket);
  });
  MakeClient();
  Result<Response> response = Send(Get(server.Url()));
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(server.accepted(), 1);
}

TEST_F(ClientTest, CloseMidBodyIsUnavailable) {
  auto& server = Serve([](Socket& socket, int) -> asio::awaitable<void> {
    boost::beast::flat_buffer buffer;
    RawRequest request;
    if (!co_await ReadRequest(socket, buffer, request)) co_return;
    co_await WriteBytes(socket, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..");
  });
  MakeClient();
  Result<Response> response = Send(Get(server.Url()));
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(response.status().message(), HasSubstr("mid-response"));
}

TEST_F(ClientTest, ServerThatNeverAnswersHitsFirstByteTimeout) {
  auto& server =
      Serve([](Socket& socket, int) -> asio::awaitable<void> { co_await WaitForClose(socket); });
  ClientOptions options;
  options.first_byte_timeout = 100ms;
  MakeClient(options);
  Result<Response> response = Send(Get(server.Url()));
  EXPECT_EQ(response.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_THAT(response.status().message(), HasSubstr("first_byte_timeout (100ms)"));
}

TEST_F(ClientTest, RequestTotalTimeoutOverridesOptionsAndCoversTheBody) {
  auto& server = Serve([](Socket& socket, int) -> asio::awaitable<void> {
    boost::beast::flat_buffer buffer;
    RawRequest request;
    if (!co_await ReadRequest(socket, buffer, request)) co_return;
    co_await WriteBytes(socket, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nslow");
    co_await WaitForClose(socket);
  });
  MakeClient();
  ClientRequest request = Get(server.Url());
  request.total_timeout = 100ms;
  Result<Response> response = Send(request);
  EXPECT_EQ(response.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_THAT(response.status().message(), HasSubstr("total_timeout (100ms)"));
}

TEST_F(ClientTest, GarbageResponseIsUnavailableMalformed) {
  auto& server = Serve([](Socket& socket, int) -> asio::awaitable<void> {
    boost::beast::flat_buffer buffer;
    RawRequest request;
    if (!co_await ReadRequest(socket, buffer, request)) co_return;
    co_await WriteBytes(socket, "SSH-2.0-OpenSSH_9.2\r\n\r\n");
    co_await WaitForClose(socket);
  });
  MakeClient();
  Result<Response> response = Send(Get(server.Url()));
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(response.status().message(), HasSubstr("malformed response"));
}

TEST_F(ClientTest, OversizeResponseIsResourceExhausted) {
  auto& server = Serve([](Socket& socket, int index) -> asio::awaitable<void> {
    boost::beast::flat_buffer buffer;
    RawRequest request;
    if (!co_await ReadRequest(socket, buffer, request)) co_return;
    if (index == 0) {
      co_await WriteBytes(socket, FixedResponse(200, std::string(4096, 'x')));
    } else {
      std::string chunk = "200\r\n" + std::string(512, 'y') + "\r\n";
      co_await WriteBytes(socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk +
                                      chunk + chunk + "0\r\n\r\n");
    }
    co_await WaitForClose(socket);
  });
  ClientOptions options;
  options.max_response_bytes = 1024;
  MakeClient(options);
  Result<Response> announced = Send(Get(server.Url()));
  EXPECT_EQ(announced.status().code(), StatusCode::kResourceExhausted);
  Result<Response> chunked = Send(Get(server.Url()));
  EXPECT_EQ(chunked.status().code(), StatusCode::kResourceExhausted);
}

TEST_F(ClientTest, InvalidUrlIsInvalidArgument) {
  MakeClient();
  EXPECT_EQ(Send(Get("ftp://example.com/")).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Send(Get("not a url")).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace sluice::http
