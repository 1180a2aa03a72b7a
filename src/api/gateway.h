// Gateway: sluice serve's one HTTP handler. It matches the route (404/405), authenticates the
// caller for /v1 routes (401), hands the exchange to the endpoint's handler, and counts every
// request in the metrics by route and status. Health, readiness and metrics need no key.
// Threading: Handle runs on the server's io executor, the same as every part's.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/auth.h"
#include "api/batches_api.h"
#include "api/files_api.h"
#include "api/proxy.h"
#include "api/routes.h"
#include "common/clock.h"
#include "http/server.h"
#include "metrics/metrics.h"

namespace sluice::api {

struct GatewayParts {
  const Authenticator& auth;
  metrics::Metrics& metrics;
  Proxy& proxy;
  FilesApi& files;
  BatchesApi& batches;
  std::vector<std::string> model_names;  // GET /v1/models
  WallTime created;                      // the models' "created"
  // GET /readyz: OK when the store answers.
  std::function<boost::asio::awaitable<Status>()> probe_store;
  // Called before /metrics renders, to set the gauges read from live state.
  std::function<void()> refresh_metrics;
  // Why the engine cannot write its store now, if it cannot: /readyz and the proxy answer 503
  // with it meanwhile. Unset: never.
  std::function<std::optional<std::string>()> store_trouble;
};

class Gateway {
 public:
  explicit Gateway(GatewayParts parts) : parts_(std::move(parts)) {}

  boost::asio::awaitable<void> Handle(http::Exchange& exchange);

  // While draining, /readyz answers 503.
  void SetReady(bool ready) { ready_.store(ready, std::memory_order_relaxed); }

 private:
  boost::asio::awaitable<void> Serve(http::Exchange& exchange, const Route& route,
                                     const Caller& caller, const http::RequestTrace& trace);
  std::optional<std::string> StoreTrouble() const {
    return parts_.store_trouble ? parts_.store_trouble() : std::nullopt;
  }

  GatewayParts parts_;
  std::atomic<bool> ready_{true};
};

}  // namespace sluice::api
