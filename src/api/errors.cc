#include "api/errors.h"

#include "common/ids.h"

namespace sluice::api {

http::Response WithRequestId(http::Response response) {
  if (!response.headers.Get("x-request-id")) {
    response.headers.Set("x-request-id", NewId("req_"));
  }
  return response;
}

http::Response InvalidRequest(int status, std::string message, std::optional<std::string> param,
                              std::optional<std::string> code) {
  return WithRequestId(http::ErrorResponse(
      {status, "invalid_request_error", std::move(message), std::move(code), std::move(param)}));
}

http::Response NoSuchObject(std::string_view kind, std::string_view id) {
  return InvalidRequest(404, "No such " + std::string(kind) + " object: " + std::string(id));
}

http::Response NotJson() {
  return InvalidRequest(400,
                        "We could not parse the JSON body of your request. The API expects a "
                        "JSON payload with content-type application/json.");
}

http::Response JsonOk(std::string body) {
  return WithRequestId(http::JsonResponse(200, std::move(body)));
}

}  // namespace sluice::api
