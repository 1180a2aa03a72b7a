// Health endpoints as plain functions: liveness (GET /healthz) and readiness (GET /readyz).
// Pure; thread-safe.
#pragma once

#include "http/message.h"

namespace sluice::api {

// 200 {"status":"ok"}: the process is up and answering.
http::Response HealthzResponse();

// 200 {"status":"ready"} when `ready`, else 503 {"status":"not_ready"} (starting or draining), so
// load balancers stop sending new work to a draining node.
http::Response ReadyzResponse(bool ready);

}  // namespace sluice::api
