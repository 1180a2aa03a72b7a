#include "api/health.h"

#include <boost/json.hpp>

namespace sluice::api {

http::Response HealthzResponse() { return http::JsonResponse(200, R"({"status":"ok"})"); }

http::Response ReadyzResponse(bool ready) {
  if (ready) return http::JsonResponse(200, R"({"status":"ready"})");
  return http::JsonResponse(503, R"({"status":"not_ready"})");
}

http::Response NotReadyResponse(const std::string& reason) {
  boost::json::object body{{"status", "not_ready"}, {"reason", reason}};
  return http::JsonResponse(503, boost::json::serialize(body));
}

}  // namespace sluice::api
