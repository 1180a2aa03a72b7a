// The error responses the API handlers share, in OpenAI's shape, each with an x-request-id.
// Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace sluice::api {

// {"error":{"message","type":"invalid_request_error","param","code"}} with `status`.
http::Response InvalidRequest(int status, std::string message,
                              std::optional<std::string> param = std::nullopt,
                              std::optional<std::string> code = std::nullopt);

// 404 "No such <kind> object: <id>" — for ids that are unknown and ids of another tenant alike.
http::Response NoSuchObject(std::string_view kind, std::string_view id);

// 400 for a body that is not a JSON object sent as application/json.
http::Response NotJson();

// `response` with an x-request-id header ("req_…") unless it has one.
http::Response WithRequestId(http::Response response);

// A 200 application/json response with an x-request-id.
http::Response JsonOk(std::string body);

}  // namespace sluice::api
