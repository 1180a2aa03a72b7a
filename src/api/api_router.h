// ApiRouter: maps a request's method and path to the handler functions of api/ and answers
// everything else with OpenAI's error shape (404 "Invalid URL", 405 for a wrong method).
// Route() is a pure function of the request and the router's state; thread-safe (readiness is
// an atomic flag).
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "common/clock.h"
#include "http/message.h"

namespace sluice::api {

struct ApiRouterOptions {
  std::vector<std::string> model_names;  // what GET /v1/models lists, in this order
  WallTime created;                      // the models' "created" time (e.g. when config loaded)
};

class ApiRouter {
 public:
  explicit ApiRouter(ApiRouterOptions options);

  // The response to `request`. Never fails: unknown paths get 404, known paths with another
  // method 405 (with an Allow header), both as {"error":{...}} bodies.
  http::Response Route(const http::Request& request) const;

  // Readiness as reported by GET /readyz; starts ready. Set false while draining.
  void SetReady(bool ready) { ready_.store(ready, std::memory_order_relaxed); }

 private:
  ApiRouterOptions options_;
  std::atomic<bool> ready_{true};
};

}  // namespace sluice::api
