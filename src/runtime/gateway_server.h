// GatewayServer: `sluice serve` composed from the modules — the store (embedded in data_dir, or
// Redis with `store: redis://…`) and file bodies in data_dir, the dispatcher over the configured deployments, the Files and Batches API, the proxy,
// authentication, metrics, the HTTP server and the sweeper of expired files. Batches left
// unfinished by an earlier process are taken up at start. With no models configured it routes to
// OpenAI when OPENAI_API_KEY is set, and otherwise to a built-in mock provider it starts on
// loopback (a first run that needs nothing). Threading: everything runs on the io_context given to
// Start (one thread); SQLite and file work on two blocking threads of its own.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "config/config.h"
#include "store/store.h"

namespace sluice::runtime {

// What a test puts in place of the real thing.
struct GatewaySeams {
  // Used instead of the SQLite store in data_dir (a store that fails on demand).
  std::unique_ptr<store::Store> store;
  // The time of the engine, the APIs and the retention sweeper instead of the system's (a
  // FakeClock); it must outlive the server. The built-in mock upstream keeps the system's.
  Clock* clock = nullptr;
};

class GatewayServer {
 public:
  virtual ~GatewayServer() = default;

  // Opens the store, starts the engine and the retention sweeper and listens on config.listen.
  // `announce` receives the one-line notices a user should see (the built-in upstream in use).
  static Result<std::unique_ptr<GatewayServer>> Start(
      boost::asio::io_context& io, config::Config config,
      const std::function<void(const std::string&)>& announce, GatewaySeams seams = {});

  virtual std::uint16_t port() const = 0;
  // The models served (config order, or the built-in ones).
  virtual std::vector<std::string> models() const = 0;

  // Stops accepting, lets requests in flight finish, stops the engine (batches stay where they
  // are, to resume at the next start) and calls `done` on the io_context.
  virtual void Drain(std::function<void()> done) = 0;
};

// The config a first run uses when it has no models: OpenAI's when `openai_api_key` is set,
// otherwise the mock provider at `mock_base_url`. Either way two models, gpt-4o-mini and
// text-embedding-3-small.
config::Config WithBuiltInModels(config::Config config, const std::string& openai_api_key,
                                 const std::string& mock_base_url);

}  // namespace sluice::runtime
