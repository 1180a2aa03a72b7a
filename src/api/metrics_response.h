// GET /metrics: the gateway's Prometheus metrics as a plain function. Thread-safe (Metrics is).
#pragma once

#include "http/message.h"
#include "metrics/metrics.h"

namespace sluice::api {

// 200 with metrics.Render() and `content-type: text/plain; version=0.0.4; charset=utf-8`, the
// Prometheus text exposition format.
http::Response MetricsResponse(const metrics::Metrics& metrics);

}  // namespace sluice::api
