// Health endpoints as plain functions: liveness (GET /healthz) and readiness (GET /readyz).
// Pure; thread-safe.
#pragma once

#include <string>

#include "http/message.h"

namespace sluice::api {

// 200 {"status":"ok"}: the process is up and answering.
http::Response HealthzResponse();

// 200 {"status":"ready"} when `ready`, else 503 {"status":"not_ready"} (starting or draining), so
// load balancers stop sending new work to a draining node.
http::Response ReadyzResponse(bool ready);

// 503 {"status":"not_ready","reason":…}: up, but unable to take work for `reason` (the store
// cannot be written, say).
http::Response NotReadyResponse(const std::string& reason);

}  // namespace sluice::api
