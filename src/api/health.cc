#include "api/health.h"

namespace sluice::api {

http::Response HealthzResponse() { return http::JsonResponse(200, R"({"status":"ok"})"); }

http::Response ReadyzResponse(bool ready) {
  if (ready) return http::JsonResponse(200, R"({"status":"ready"})");
  return http::JsonResponse(503, R"({"status":"not_ready"})");
}

}  // namespace sluice::api
