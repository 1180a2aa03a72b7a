// MockProvider: an OpenAI-compatible provider for tests, benchmarks and `sluice mock`, with
// OpenAI's rate-limit behaviour, seeded deterministic answers, latency and fault injection.
// Threading: a MockProvider lives on one io_context run by ONE thread; Stats() and Drain() may be
// called from any thread (see each method).
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "common/status.h"
#include "mock/mock_options.h"
#include "mock/mock_stats.h"

namespace sluice::mock {

class MockProvider {
 public:
  // Validates `options`, binds host:port on `io` and starts serving. `clock` (for latency,
  // rate-limit refill and `created` timestamps) must outlive the provider; with a FakeClock,
  // latency waits only end when the test advances it. Errors: kInvalidArgument from
  // ValidateMockOptions; kUnavailable when the address cannot be bound.
  static Result<std::unique_ptr<MockProvider>> Start(boost::asio::io_context& io,
                                                     MockOptions options, Clock& clock);

  // Drains and drops the server (on the io thread; posted there when called from elsewhere).
  // Exchanges still running keep the internal state alive until they end.
  ~MockProvider();
  MockProvider(const MockProvider&) = delete;
  MockProvider& operator=(const MockProvider&) = delete;

  // The bound port (useful with port 0). Any thread.
  std::uint16_t port() const;

  // A snapshot of the counters. From the io thread it reads them directly; from any other
  // thread it posts to the io thread and waits, so the io_context must be running then (or
  // already stopped, in which case the last values are read directly): calling it from another
  // thread while nobody runs the io_context blocks forever.
  MockStats Stats() const;

  // Zeroes the counters (what POST /mock/reset does). Same threading rules as Stats().
  void ResetStats();

  // Stops accepting, releases hanging requests (their connections are reset), lets in-flight
  // answers finish, then closes every connection. Any thread, more than once; `done` runs on the
  // io_context when everything is closed.
  void Drain(std::function<void()> done = nullptr);

  class State;  // implementation, defined in mock_provider.cc

 private:
  explicit MockProvider(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace sluice::mock
