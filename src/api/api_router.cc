#include "api/api_router.h"

#include <utility>

#include "api/health.h"
#include "api/models.h"

namespace sluice::api {
namespace {

constexpr std::string_view kModelPrefix = "/v1/models/";

http::Response InvalidUrl(const http::Request& request) {
  http::ApiError error;
  error.status = 404;
  error.type = "invalid_request_error";
  error.message = "Invalid URL (" + request.method + " " + std::string(request.Path()) + ")";
  return http::ErrorResponse(error);
}

http::Response MethodNotAllowed(const http::Request& request, std::string allow) {
  http::ApiError error;
  error.status = 405;
  error.type = "invalid_request_error";
  error.message = "Method " + request.method + " is not allowed for " +
                  std::string(request.Path()) + "; use " + allow;
  http::Response response = http::ErrorResponse(error);
  response.headers.Set("allow", std::move(allow));
  return response;
}

}  // namespace

ApiRouter::ApiRouter(ApiRouterOptions options) : options_(std::move(options)) {}

http::Response ApiRouter::Route(const http::Request& request) const {
  std::string_view path = request.Path();
  bool get = request.method == "GET";
  bool known = path == "/healthz" || path == "/readyz" || path == "/v1/models" ||
               (path.starts_with(kModelPrefix) && path.size() > kModelPrefix.size());
  if (!known) return InvalidUrl(request);
  if (!get) return MethodNotAllowed(request, "GET");
  if (path == "/healthz") return HealthzResponse();
  if (path == "/readyz") return ReadyzResponse(ready_.load(std::memory_order_relaxed));
  if (path == "/v1/models") return ListModelsResponse(options_.model_names, options_.created);
  return RetrieveModelResponse(options_.model_names, path.substr(kModelPrefix.size()),
                               options_.created);
}

}  // namespace sluice::api
