// MockProvider: the thin I/O shell around MockApi. Each exchange asks MockApi for a Reply, then
// carries it out: waits (on the injected Clock), responds or streams, resets or hangs.
#include "mock/mock_provider.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <future>

#include "http/server.h"
#include "http/sleep.h"
#include "mock/mock_api.h"

namespace sluice::mock {
namespace asio = boost::asio;

class MockProvider::State {
 public:
  State(asio::io_context& io, MockOptions options, Clock& clock)
      : io_(io), clock_(clock), api_(std::move(options)), release_hangs_(io, TimePoint::max()) {}

  asio::awaitable<void> Serve(http::Exchange& exchange);

  // Runs `fn` on the io thread and waits for its result (directly when already there, or when
  // the io_context has stopped and nothing else can touch the state).
  template <typename Fn>
  auto OnIoThread(Fn fn) -> decltype(fn()) {
    if (io_.get_executor().running_in_this_thread() || io_.stopped()) return fn();
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto result = task.get_future();
    asio::post(io_, [&task] { task(); });
    return result.get();
  }

  // On the io thread: release every hanging exchange, then drain the server.
  void DrainOnIoThread(std::function<void()> done) {
    draining_ = true;
    release_hangs_.cancel();
    if (server_) server_->Drain(std::move(done));
  }

  asio::io_context& io_;
  Clock& clock_;
  MockApi api_;
  std::unique_ptr<http::Server> server_;
  std::uint16_t port_ = 0;

 private:
  asio::awaitable<void> Hang(http::Exchange& exchange);
  asio::awaitable<void> ResetMidway(http::Exchange& exchange, Reply reply);
  asio::awaitable<void> Stream(http::Exchange& exchange, Reply reply);

  bool draining_ = false;
  // Never expires; hanging exchanges wait on it until Drain cancels it.
  asio::steady_timer release_hangs_;
};

asio::awaitable<void> MockProvider::State::Serve(http::Exchange& exchange) {
  Reply reply = api_.Handle(exchange.request(), clock_.Now(), clock_.WallNow());
  if (reply.delay > Duration::zero()) {
    if (!(co_await http::SleepFor(clock_, reply.delay)).ok()) co_return;
  }
  if (reply.fault == FaultKind::kHang) {
    co_await Hang(exchange);
  } else if (reply.fault == FaultKind::kReset) {
    co_await ResetMidway(exchange, std::move(reply));
  } else if (reply.stream) {
    co_await Stream(exchange, std::move(reply));
  } else {
    (void)co_await exchange.Respond(std::move(reply.response));
  }
}

asio::awaitable<void> MockProvider::State::Hang(http::Exchange& exchange) {
  if (!draining_ && !exchange.draining()) {
    (void)co_await release_hangs_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  exchange.Reset();
}

asio::awaitable<void> MockProvider::State::ResetMidway(http::Exchange& exchange, Reply reply) {
  std::string part = reply.stream ? reply.events.front().data
                                  : reply.response.body.substr(0, reply.response.body.size() / 2);
  Status status =
      co_await exchange.BeginStream(reply.response.status, std::move(reply.response.headers));
  if (status.ok()) (void)co_await exchange.WriteChunk(part);
  exchange.Reset();
}

asio::awaitable<void> MockProvider::State::Stream(http::Exchange& exchange, Reply reply) {
  Status status =
      co_await exchange.BeginStream(reply.response.status, std::move(reply.response.headers));
  for (const StreamEvent& event : reply.events) {
    if (!status.ok()) co_return;
    if (event.delay > Duration::zero()) status = co_await http::SleepFor(clock_, event.delay);
    if (status.ok()) status = co_await exchange.WriteChunk(event.data);
  }
  if (status.ok()) (void)co_await exchange.EndStream();
}

Result<std::unique_ptr<MockProvider>> MockProvider::Start(asio::io_context& io, MockOptions options,
                                                          Clock& clock) {
  SLUICE_RETURN_IF_ERROR(ValidateMockOptions(options));
  http::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = options.port;
  auto state = std::make_shared<State>(io, std::move(options), clock);
  // Each exchange keeps the state alive while it runs; the handler itself only points at it, so
  // state -> server -> handler is no ownership cycle (one would leak if the io_context stopped
  // before the provider's shutdown ran).
  http::Handler handler = [weak = std::weak_ptr<State>(state)](
                              http::Exchange& exchange) -> asio::awaitable<void> {
    if (std::shared_ptr<State> alive = weak.lock()) co_await alive->Serve(exchange);
  };
  SLUICE_ASSIGN_OR_RETURN(state->server_,
                          http::Server::Start(io, std::move(server_options), std::move(handler)));
  state->port_ = state->server_->port();
  return std::unique_ptr<MockProvider>(new MockProvider(std::move(state)));
}

MockProvider::MockProvider(std::shared_ptr<State> state) : state_(std::move(state)) {}

MockProvider::~MockProvider() {
  // Drained and dropped on the io thread, where the server lives.
  auto shutdown = [state = state_] {
    state->DrainOnIoThread(nullptr);
    state->server_.reset();
  };
  if (state_->io_.get_executor().running_in_this_thread()) {
    shutdown();
  } else {
    asio::post(state_->io_, std::move(shutdown));
  }
}

std::uint16_t MockProvider::port() const { return state_->port_; }

MockStats MockProvider::Stats() const {
  return state_->OnIoThread([state = state_] { return state->api_.Stats(); });
}

void MockProvider::ResetStats() {
  state_->OnIoThread([state = state_] {
    state->api_.ResetStats();
    return 0;
  });
}

void MockProvider::Drain(std::function<void()> done) {
  asio::post(state_->io_, [state = state_, done = std::move(done)]() mutable {
    state->DrainOnIoThread(std::move(done));
  });
}

}  // namespace sluice::mock
