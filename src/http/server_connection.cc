// One server connection: reads requests with Beast's parser under the server's limits and
// timeouts, hands each to the handler as an Exchange, writes responses strictly in order, and
// closes on error, drain or Reset. Each connection is a coroutine on its own strand; the same
// code serves plain TCP and TLS (the Stream template parameter).
#include "http/server_connection.h"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <charconv>
#include <exception>
#include <limits>
#include <optional>
#include <type_traits>

#include "http/request_reader.h"
#include "http/response_head.h"

namespace sluice::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using TcpStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
// The first read of a request, while idle; the parser asks for more when it needs it.
constexpr std::size_t kFirstReadBytes = 4096;
// After rejecting a request, read (and drop) what the client still sends for at most this long,
// so closing does not reset the connection before the client has read our error response.
constexpr auto kLingerTimeout = std::chrono::seconds(2);
constexpr std::size_t kLingerMaxBytes = 1 << 20;
// The most one ReadBody hands out.
constexpr std::size_t kBodyPieceBytes = 64 * 1024;

using Buffers = std::array<asio::const_buffer, 3>;

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kLastChunk = "0\r\n\r\n";

enum class Phase { kIdle, kReading, kHandling, kClosed };
enum class Answer { kNone, kResponded, kStreaming, kStreamEnded };
// The request body: read whole before the handler, or streamed by the handler (and then how far).
enum class Body { kWhole, kWholeHandedOut, kStreaming, kStreamEnded, kStreamFailed };

template <class Stream>
class Connection final : public Exchange,
                         public ConnectionControl,
                         public std::enable_shared_from_this<Connection<Stream>> {
 public:
  Connection(std::shared_ptr<ServerCore> core, Stream stream)
      : core_(std::move(core)), stream_(std::move(stream)), reader_(core_->options()) {}

  static asio::awaitable<void> Run(std::shared_ptr<Connection> self);
  asio::cancellation_slot cancellation_slot() { return cancel_.slot(); }

  const Request& request() const override { return request_; }
  asio::awaitable<Result<std::string_view>> ReadBody() override;
  asio::awaitable<Status> Respond(Response response) override;
  asio::awaitable<Status> BeginStream(int status, Headers headers) override;
  asio::awaitable<Status> WriteChunk(std::string_view data) override;
  asio::awaitable<Status> EndStream() override;
  void Reset() override;
  bool draining() const override { return core_->draining(); }

  void NotifyDrain() override;
  void ForceClose() override;

 private:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
  TcpStream& Tcp() { return beast::get_lowest_layer(stream_); }

  asio::awaitable<bool> Handshake();
  asio::awaitable<ReadOutcome> ReadRequest();
  asio::awaitable<ReadOutcome> ReadWholeBody();
  asio::awaitable<Result<std::string_view>> ReadBodyPiece();
  Status BodyReadError(const boost::system::error_code& ec);
  // A streamed body the handler has not read to its end: the connection cannot be reused.
  bool BodyUnfinished() const { return body_ == Body::kStreaming || body_ == Body::kStreamFailed; }
  asio::awaitable<ReadOutcome> OnReadError(boost::system::error_code ec);
  asio::awaitable<ReadOutcome> Reject(Rejection rejection);
  asio::awaitable<bool> Handle();  // true: the connection may serve another request
  std::string_view Head(int status, const Headers& headers,
                        std::optional<std::size_t> content_length);
  // Writes up to three buffers in one go under write_timeout.
  asio::awaitable<Status> Write(asio::const_buffer first, asio::const_buffer second = {},
                                asio::const_buffer third = {});
  asio::awaitable<void> Close(bool linger);
  asio::awaitable<void> DiscardInput();
  // Reads what has arrived into the read buffer's free space (uncommitted); 0 on any error.
  asio::awaitable<std::size_t> ReadSome();

  std::shared_ptr<ServerCore> core_;
  Stream stream_;
  RequestReader reader_;
  Request request_;
  std::string head_;  // reused for every response head
  std::array<char, 24> chunk_size_;
  asio::cancellation_signal cancel_;
  Phase phase_ = Phase::kIdle;
  Answer answer_ = Answer::kNone;
  Body body_ = Body::kWhole;
  Status body_error_;                   // what the failed streamed body read said
  std::unique_ptr<char[]> body_piece_;  // ReadBody's buffer, made at the first streamed read
  bool continue_sent_ = false;
  bool keep_alive_ = true;  // the request allows reuse and no response asked to close
  bool broken_ = false;     // an I/O error, timeout, Reset or ForceClose: no further I/O
  bool linger_ = false;     // close by reading what the client still sends for a while
};

template <class Stream>
asio::awaitable<void> Connection<Stream>::Run(std::shared_ptr<Connection> self) {
  // ForceClose cancels through our slot; operations then report errors instead of throwing.
  co_await asio::this_coro::throw_if_cancelled(false);
  bool linger = false;
  if (co_await self->Handshake()) {
    for (;;) {
      ReadOutcome outcome = co_await self->ReadRequest();
      if (outcome != ReadOutcome::kRequest) {
        linger = outcome == ReadOutcome::kRejected;
        break;
      }
      if (!co_await self->Handle()) break;
    }
  }
  co_await self->Close(linger || self->linger_);
  self->phase_ = Phase::kClosed;
  self->core_->Remove(self.get());
}

template <class Stream>
asio::awaitable<bool> Connection<Stream>::Handshake() {
  if constexpr (kTls) {
    Tcp().expires_after(core_->options().read_timeout);
    auto [ec] = co_await stream_.async_handshake(asio::ssl::stream_base::server, kAwait);
    if (ec) {
      broken_ = true;
      co_return false;
    }
  }
  co_return true;
}

template <class Stream>
asio::awaitable<ReadOutcome> Connection<Stream>::ReadRequest() {
  const ServerOptions& options = core_->options();
  beast::flat_buffer& buffer = reader_.buffer();
  if (!reader_.HasBufferedBytes()) {
    phase_ = Phase::kIdle;
    if (core_->draining()) co_return ReadOutcome::kClose;
    Tcp().expires_after(options.idle_timeout);
    std::size_t n = co_await ReadSome();
    if (n == 0) co_return ReadOutcome::kClose;  // idle timeout, client gone, or drain
    buffer.commit(n);
  }
  phase_ = Phase::kReading;
  Tcp().expires_after(options.read_timeout);  // one deadline for the whole request
  auto [ec, unused] =
      co_await bhttp::async_read_header(stream_, buffer, reader_.NewParser(), kAwait);
  if (ec) co_return co_await OnReadError(ec);
  if (auto rejection = reader_.CheckHeader()) co_return co_await Reject(std::move(*rejection));
  request_ = reader_.TakeHead();
  keep_alive_ = reader_.keep_alive();
  answer_ = Answer::kNone;
  body_ = Body::kWhole;
  continue_sent_ = false;
  bool streamed = options.stream_body && options.stream_body(request_);
  if (auto rejection = reader_.CheckBodySize(streamed)) {
    co_return co_await Reject(std::move(*rejection));
  }
  if (streamed) {
    body_ = reader_.parser().is_done() ? Body::kStreamEnded : Body::kStreaming;
    if (body_ == Body::kStreaming) reader_.BeginStreaming().eager(true);
    co_return ReadOutcome::kRequest;
  }
  co_return co_await ReadWholeBody();
}

template <class Stream>
asio::awaitable<ReadOutcome> Connection<Stream>::ReadWholeBody() {
  if (reader_.WantsContinue()) {
    Status sent = co_await Write(asio::buffer(kContinue));
    if (!sent.ok()) co_return ReadOutcome::kClose;
    Tcp().expires_after(core_->options().read_timeout);
  }
  if (!reader_.parser().is_done()) {
    auto [body_ec, unused_body] =
        co_await bhttp::async_read(stream_, reader_.buffer(), reader_.parser(), kAwait);
    if (body_ec) co_return co_await OnReadError(body_ec);
  }
  request_.body = reader_.TakeBody();
  co_return ReadOutcome::kRequest;
}

template <class Stream>
asio::awaitable<Result<std::string_view>> Connection<Stream>::ReadBody() {
  if (phase_ != Phase::kHandling) co_return FailedPreconditionError("no request is being handled");
  switch (body_) {
    case Body::kWhole:
      body_ = Body::kWholeHandedOut;
      co_return std::string_view(request_.body);
    case Body::kWholeHandedOut:
    case Body::kStreamEnded:
      co_return std::string_view();
    case Body::kStreamFailed:
      co_return body_error_;
    case Body::kStreaming:
      break;
  }
  if (broken_) co_return UnavailableError("the client went away");
  if (reader_.expects_continue() && !continue_sent_) {
    continue_sent_ = true;
    Status sent = co_await Write(asio::buffer(kContinue));
    if (!sent.ok()) co_return sent;
  }
  Result<std::string_view> piece = co_await ReadBodyPiece();
  if (!piece.ok()) {
    body_ = Body::kStreamFailed;
    body_error_ = piece.status();
  }
  co_return piece;
}

template <class Stream>
asio::awaitable<Result<std::string_view>> Connection<Stream>::ReadBodyPiece() {
  if (!body_piece_) body_piece_ = std::make_unique<char[]>(kBodyPieceBytes);
  RequestReader::StreamParser& parser = reader_.stream_parser();
  Tcp().expires_after(core_->options().read_timeout);
  for (;;) {
    parser.get().body().data = body_piece_.get();
    parser.get().body().size = kBodyPieceBytes;
    auto [ec, unused] = co_await bhttp::async_read_some(stream_, reader_.buffer(), parser, kAwait);
    if (ec && ec != bhttp::error::need_buffer) co_return BodyReadError(ec);
    std::size_t got = kBodyPieceBytes - parser.get().body().size;
    if (parser.is_done()) body_ = Body::kStreamEnded;
    // A read may consume only chunk framing; then read on.
    if (got > 0 || parser.is_done()) co_return std::string_view(body_piece_.get(), got);
  }
}

template <class Stream>
Status Connection<Stream>::BodyReadError(const boost::system::error_code& ec) {
  if (ec == bhttp::error::body_limit) {
    return ResourceExhaustedError("request body exceeds the limit of " +
                                  std::to_string(reader_.max_streamed_body_bytes()) + " bytes");
  }
  if (ec == beast::error::timeout) {
    broken_ = true;  // Beast closed the socket
    return DeadlineExceededError("the request body did not arrive in time");
  }
  if (reader_.ClassifyError(ec))
    return InvalidArgumentError("malformed request body: " + ec.message());
  broken_ = true;
  return UnavailableError("the client went away while sending the body: " + ec.message());
}

template <class Stream>
asio::awaitable<ReadOutcome> Connection<Stream>::OnReadError(boost::system::error_code ec) {
  if (auto rejection = reader_.ClassifyError(ec)) co_return co_await Reject(std::move(*rejection));
  broken_ = true;  // timed out (Beast closed the socket), reset, or ended mid-request
  co_return ReadOutcome::kClose;
}

template <class Stream>
asio::awaitable<ReadOutcome> Connection<Stream>::Reject(Rejection rejection) {
  keep_alive_ = false;
  Response response = ErrorResponse(ApiError{.status = rejection.status,
                                             .type = "invalid_request_error",
                                             .message = std::move(rejection.message),
                                             .code = std::nullopt,
                                             .param = std::nullopt});
  std::string_view head = Head(response.status, response.headers, response.body.size());
  // Whether the client got it or not, the connection closes next.
  Status ignored = co_await Write(asio::buffer(head), asio::buffer(response.body));
  co_return ReadOutcome::kRejected;
}

template <class Stream>
asio::awaitable<bool> Connection<Stream>::Handle() {
  phase_ = Phase::kHandling;
  bool threw = false;
  try {
    co_await core_->handler()(*this);
  } catch (...) {
    threw = true;  // third-party code in a handler: answer 500 below, never crash
  }
  if (BodyUnfinished()) {
    // What the client still sends is not a next request; read it for a while before closing,
    // so that closing does not reset the connection under our response.
    keep_alive_ = false;
    linger_ = true;
  }
  if (broken_ || answer_ == Answer::kStreaming) co_return false;  // a cut stream ends here
  if (answer_ == Answer::kNone) {
    Response response = ErrorResponse(
        ApiError{.status = 500,
                 .type = "server_error",
                 .message = threw ? "internal error: the request handler failed"
                                  : "internal error: the request handler sent no response",
                 .code = std::nullopt,
                 .param = std::nullopt});
    Status sent = co_await Respond(std::move(response));
    if (!sent.ok()) co_return false;
  }
  co_return keep_alive_ && !core_->draining();
}

template <class Stream>
std::string_view Connection<Stream>::Head(int status, const Headers& headers,
                                          std::optional<std::size_t> content_length) {
  ResponseHeadSpec spec{.status = status,
                        .content_length = content_length,
                        .close = !keep_alive_ || core_->draining() || BodyUnfinished(),
                        .keep_alive = reader_.http10()};
  keep_alive_ = !WriteResponseHead(spec, headers, head_);
  return head_;
}

template <class Stream>
asio::awaitable<Status> Connection<Stream>::Write(asio::const_buffer first,
                                                  asio::const_buffer second,
                                                  asio::const_buffer third) {
  if (broken_) co_return UnavailableError("connection is closed");
  Tcp().expires_after(core_->options().write_timeout);
  const Buffers buffers{first, second, third};
  auto [ec, n] = co_await asio::async_write(stream_, buffers, kAwait);
  if (ec) {
    broken_ = true;
    co_return UnavailableError("cannot write response: " + ec.message());
  }
  co_return OkStatus();
}

template <class Stream>
asio::awaitable<Status> Connection<Stream>::Respond(Response response) {
  if (phase_ != Phase::kHandling || answer_ != Answer::kNone) {
    co_return FailedPreconditionError("this exchange has already been answered");
  }
  answer_ = Answer::kResponded;
  bool send_body = !reader_.head_method() && !StatusHasNoBody(response.status);
  std::string_view head = Head(response.status, response.headers, response.body.size());
  co_return co_await Write(
      asio::buffer(head), asio::buffer(response.body.data(), send_body ? response.body.size() : 0));
}

template <class Stream>
asio::awaitable<Status> Connection<Stream>::BeginStream(int status, Headers headers) {
  if (phase_ != Phase::kHandling || answer_ != Answer::kNone) {
    co_return FailedPreconditionError("this exchange has already been answered");
  }
  answer_ = Answer::kStreaming;
  std::string_view head = Head(status, headers, std::nullopt);
  co_return co_await Write(asio::buffer(head));
}

template <class Stream>
asio::awaitable<Status> Connection<Stream>::WriteChunk(std::string_view data) {
  if (answer_ != Answer::kStreaming) co_return FailedPreconditionError("no stream is open");
  if (data.empty()) co_return OkStatus();  // an empty chunk would end the stream
  char* end = std::to_chars(chunk_size_.data(), chunk_size_.data() + 16, data.size(), 16).ptr;
  *end++ = '\r';
  *end++ = '\n';
  co_return co_await Write(
      asio::buffer(chunk_size_.data(), static_cast<std::size_t>(end - chunk_size_.data())),
      asio::buffer(data), asio::buffer(kCrlf));
}

template <class Stream>
asio::awaitable<Status> Connection<Stream>::EndStream() {
  if (answer_ != Answer::kStreaming) co_return FailedPreconditionError("no stream is open");
  answer_ = Answer::kStreamEnded;
  co_return co_await Write(asio::buffer(kLastChunk));
}

template <class Stream>
void Connection<Stream>::Reset() {
  broken_ = true;
  boost::system::error_code ec;
  Tcp().socket().set_option(asio::socket_base::linger(true, 0), ec);
  Tcp().close();
}

template <class Stream>
void Connection<Stream>::NotifyDrain() {
  asio::post(Tcp().get_executor(), [self = this->shared_from_this()] {
    if (self->phase_ == Phase::kIdle) self->Tcp().cancel();
  });
}

template <class Stream>
void Connection<Stream>::ForceClose() {
  asio::post(Tcp().get_executor(), [self = this->shared_from_this()] {
    if (self->phase_ == Phase::kClosed) return;
    self->broken_ = true;
    self->Tcp().close();
    self->cancel_.emit(asio::cancellation_type::terminal);
  });
}

template <class Stream>
asio::awaitable<void> Connection<Stream>::Close(bool linger) {
  if (!broken_ && Tcp().socket().is_open()) {
    if constexpr (kTls) {
      Tcp().expires_after(kLingerTimeout);
      (void)co_await stream_.async_shutdown(kAwait);
    } else {
      boost::system::error_code ec;
      Tcp().socket().shutdown(asio::socket_base::shutdown_send, ec);
      if (linger) {
        Tcp().expires_after(kLingerTimeout);
        co_await DiscardInput();
      }
    }
  }
  Tcp().close();
}

template <class Stream>
asio::awaitable<void> Connection<Stream>::DiscardInput() {
  Tcp().expires_after(kLingerTimeout);
  reader_.buffer().clear();
  for (std::size_t discarded = 0; discarded < kLingerMaxBytes;) {
    std::size_t n = co_await ReadSome();
    if (n == 0) break;
    discarded += n;
  }
}

template <class Stream>
asio::awaitable<std::size_t> Connection<Stream>::ReadSome() {
  auto [ec, n] =
      co_await stream_.async_read_some(reader_.buffer().prepare(kFirstReadBytes), kAwait);
  co_return ec ? 0 : n;
}

template <class Stream>
void Launch(std::shared_ptr<ServerCore> core, std::shared_ptr<Connection<Stream>> connection,
            const asio::any_io_executor& strand) {
  core->Add(connection);
  // The completion handler keeps the connection (and so the cancellation signal) alive until
  // the coroutine has fully finished.
  asio::co_spawn(strand, Connection<Stream>::Run(connection),
                 asio::bind_cancellation_slot(connection->cancellation_slot(),
                                              [connection](std::exception_ptr) {}));
}

}  // namespace

void SpawnConnection(std::shared_ptr<ServerCore> core, asio::ip::tcp::socket socket) {
  boost::system::error_code ec;
  socket.set_option(asio::ip::tcp::no_delay(true), ec);
  asio::any_io_executor strand = socket.get_executor();
  if (asio::ssl::context* tls = core->tls()) {
    auto connection = std::make_shared<Connection<TlsStream>>(
        core, TlsStream(TcpStream(std::move(socket)), *tls));
    Launch(std::move(core), std::move(connection), strand);
  } else {
    auto connection = std::make_shared<Connection<TcpStream>>(core, TcpStream(std::move(socket)));
    Launch(std::move(core), std::move(connection), strand);
  }
}

}  // namespace sluice::http
