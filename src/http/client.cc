// BeastClient: Client on Beast with a keep-alive ConnectionPool per origin (see client.h).
// One exchange: parse the URL, lease a connection (or a slot to open one), write the request,
// read the head (retrying once on a fresh connection when a reused one turns out dead before any
// response byte), then read the body whole (Send) or piece by piece (Open).
// Threading: one executor; see client.h.
#include "http/client.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "http/connection.h"
#include "http/connection_pool.h"
#include "http/request_head.h"
#include "http/tls_client_context.h"
#include "http/url.h"

namespace sluice::http {
namespace {

namespace asio = boost::asio;

constexpr std::size_t kStreamPieceBytes = 16 * 1024;
constexpr std::size_t kFirstBodyBytes = 16 * 1024;

TimePoint Now() { return std::chrono::steady_clock::now(); }

// An exchange whose response head has arrived; a whole body must finish before `total`.
struct ActiveExchange {
  ConnectionLease lease;
  Deadline total;
};

class BeastResponseStream final : public ResponseStream {
 public:
  BeastResponseStream(ActiveExchange exchange, Duration idle_timeout)
      : exchange_(std::move(exchange)), idle_timeout_(idle_timeout) {
    Connection* connection = exchange_.lease.connection();
    status_ = connection->status();
    headers_ = connection->ResponseHeaders();
    if (connection->done()) Finish();  // no body (204, HEAD...): free the connection now
  }

  int status() const override { return status_; }
  const Headers& headers() const override { return headers_; }

  asio::awaitable<Result<std::optional<std::string>>> Next() override {
    while (!finished_) {
      Connection* connection = exchange_.lease.connection();
      if (connection->done()) {
        Finish();
        break;
      }
      std::vector<char>& buffer = connection->read_buffer();
      if (buffer.size() < kStreamPieceBytes) buffer.resize(kStreamPieceBytes);
      Deadline gap = Deadline::After(Now(), "stream_idle_timeout", idle_timeout_);
      Result<std::size_t> read =
          co_await connection->ReadBody(buffer.data(), buffer.size(), false, gap);
      if (!read.ok()) {
        finished_ = true;
        exchange_.lease.Release(false);
        co_return read.status();
      }
      if (*read == 0) continue;  // chunk framing only
      std::string piece(buffer.data(), *read);
      if (connection->done()) Finish();
      co_return piece;
    }
    co_return std::optional<std::string>();
  }

 private:
  void Finish() {
    finished_ = true;
    Connection* connection = exchange_.lease.connection();
    exchange_.lease.Release(connection->reusable());
  }

  ActiveExchange exchange_;
  Duration idle_timeout_;
  int status_ = 0;
  Headers headers_;
  bool finished_ = false;
};

class BeastClient final : public Client {
 public:
  BeastClient(asio::any_io_executor executor, ClientOptions options)
      : executor_(std::move(executor)),
        options_(std::move(options)),
        pool_(options_.max_connections_per_origin, options_.idle_timeout) {}

  asio::awaitable<Result<Response>> Send(ClientRequest request) override {
    auto exchange = co_await Start(std::move(request));
    if (!exchange.ok()) co_return exchange.status();
    Connection* connection = exchange->lease.connection();
    Response response;
    response.status = connection->status();
    response.headers = connection->ResponseHeaders();
    auto body = co_await ReadWholeBody(connection, exchange->total);
    if (!body.ok()) co_return body.status();
    response.body = std::move(*body);
    exchange->lease.Release(connection->reusable());
    co_return response;
  }

  asio::awaitable<Result<std::unique_ptr<ResponseStream>>> Open(ClientRequest request) override {
    Duration idle_timeout = request.stream_idle_timeout.value_or(options_.stream_idle_timeout);
    auto exchange = co_await Start(std::move(request));
    if (!exchange.ok()) co_return exchange.status();
    co_return std::unique_ptr<ResponseStream>(
        std::make_unique<BeastResponseStream>(std::move(*exchange), idle_timeout));
  }

 private:
  asio::awaitable<Result<ActiveExchange>> Start(ClientRequest request);
  asio::awaitable<Status> Exchange(Connection* connection, std::string_view body, bool head_request,
                                   Deadline total);
  asio::awaitable<Result<std::string>> ReadWholeBody(Connection* connection, Deadline total);
  Result<std::shared_ptr<TlsClientContext>> TlsContext();

  asio::any_io_executor executor_;
  ClientOptions options_;
  ConnectionPool pool_;
  std::optional<Result<std::shared_ptr<TlsClientContext>>> tls_;  // made at the first https use
};

asio::awaitable<Result<ActiveExchange>> BeastClient::Start(ClientRequest request) {
  const Deadline total = Deadline::After(Now(), "total_timeout",
                                         request.total_timeout.value_or(options_.total_timeout));
  SLUICE_CO_ASSIGN_OR_RETURN(Url url, ParseUrl(request.url));
  SLUICE_CO_RETURN_IF_ERROR(ValidateRequestHead(request));
  std::shared_ptr<TlsClientContext> tls;
  if (url.tls) {
    SLUICE_CO_ASSIGN_OR_RETURN(tls, TlsContext());
  }
  SLUICE_CO_ASSIGN_OR_RETURN(ConnectionLease lease,
                             co_await OriginPool::Acquire(pool_.ForOrigin(url.origin), total));
  const bool head_request = request.method == "HEAD";
  for (int attempt = 0;; ++attempt) {
    if (lease.connection() == nullptr) {
      Deadline connect =
          total.EarlierOf(Deadline::After(Now(), "connect_timeout", options_.connect_timeout));
      SLUICE_CO_ASSIGN_OR_RETURN(std::unique_ptr<Connection> fresh,
                                 co_await Connection::Open(executor_, url, tls, connect));
      lease.Adopt(std::move(fresh));
    }
    Connection* connection = lease.connection();
    WriteRequestHead(request, url, connection->head_buffer());
    Status status = co_await Exchange(connection, request.body, head_request, total);
    if (status.ok()) co_return ActiveExchange{std::move(lease), total};
    // A kept-alive connection the server closed while idle fails before any response byte:
    // the request never reached the application, so it is safe to try once more on a fresh one.
    bool stale = lease.reused() && !connection->response_started() &&
                 status.code() == StatusCode::kUnavailable;
    if (attempt > 0 || !stale) co_return status;
    lease.Discard();
  }
}

asio::awaitable<Status> BeastClient::Exchange(Connection* connection, std::string_view body,
                                              bool head_request, Deadline total) {
  SLUICE_CO_RETURN_IF_ERROR(co_await connection->Write(connection->head_buffer(), body, total));
  Deadline first_byte =
      total.EarlierOf(Deadline::After(Now(), "first_byte_timeout", options_.first_byte_timeout));
  co_return co_await connection->ReadHead(head_request, options_.max_response_bytes, first_byte);
}

asio::awaitable<Result<std::string>> BeastClient::ReadWholeBody(Connection* connection,
                                                                Deadline total) {
  std::string body;
  if (connection->done()) co_return body;
  // The parser has already checked a Content-Length against max_response_bytes.
  if (auto length = connection->content_length()) body.resize(*length);
  const std::size_t cap = std::max(options_.max_response_bytes, options_.max_response_bytes + 1);
  std::size_t used = 0;
  while (!connection->done()) {
    if (used == body.size()) {
      // Beyond the limit by one byte at most: the parser reports the overflow.
      body.resize(std::min(std::max(kFirstBodyBytes, body.size() * 2), cap));
    }
    SLUICE_CO_ASSIGN_OR_RETURN(
        std::size_t read,
        co_await connection->ReadBody(body.data() + used, body.size() - used, true, total));
    used += read;
  }
  body.resize(used);
  co_return body;
}

Result<std::shared_ptr<TlsClientContext>> BeastClient::TlsContext() {
  if (!tls_) tls_ = MakeTlsClientContext(options_.extra_ca_file, options_.verify_peer);
  return *tls_;
}

}  // namespace

std::unique_ptr<Client> Client::Create(asio::any_io_executor executor, ClientOptions options) {
  return std::make_unique<BeastClient>(std::move(executor), std::move(options));
}

}  // namespace sluice::http
