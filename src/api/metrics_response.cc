#include "api/metrics_response.h"

namespace sluice::api {

http::Response MetricsResponse(const metrics::Metrics& metrics) {
  http::Response response{.status = 200, .headers = {}, .body = metrics.Render()};
  response.headers.Set("content-type", "text/plain; version=0.0.4; charset=utf-8");
  return response;
}

}  // namespace sluice::api
