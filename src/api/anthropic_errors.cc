#include "api/anthropic_errors.h"

#include <boost/json.hpp>

#include "common/ids.h"
#include "providers/from_messages/to_message.h"

namespace sluice::api {
namespace {

// The message of an OpenAI error body; nullopt for any other body.
std::optional<std::string> OpenAiErrorMessage(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(body, ec);
  if (ec || !parsed.is_object() || parsed.as_object().contains("type")) return std::nullopt;
  const boost::json::value* error = parsed.as_object().if_contains("error");
  if (error == nullptr || !error->is_object()) return std::nullopt;
  const boost::json::value* message = error->as_object().if_contains("message");
  if (message == nullptr || !message->is_string()) return std::nullopt;
  return std::string(message->as_string());
}

}  // namespace

void SetAnthropicRequestIds(http::Headers& headers) {
  std::optional<std::string_view> id = headers.Get("request-id");
  if (!id) id = headers.Get("x-request-id");
  std::string value = id ? std::string(*id) : NewId("req_");
  headers.Set("request-id", value);
  headers.Set("x-request-id", value);
}

http::Response InAnthropicShape(http::Response response) {
  SetAnthropicRequestIds(response.headers);
  if (response.status < 400) return response;
  if (std::optional<std::string> message = OpenAiErrorMessage(response.body)) {
    response.body = providers::AnthropicErrorBody(response.status, *message,
                                                  *response.headers.Get("request-id"));
    response.headers.Set("content-type", "application/json");
  }
  return response;
}

http::Response AnthropicUnauthorized(bool key_given) {
  http::Response response = http::JsonResponse(401, "");
  SetAnthropicRequestIds(response.headers);
  response.body = providers::AnthropicErrorBody(
      401, key_given ? "invalid x-api-key" : "x-api-key header is required",
      *response.headers.Get("request-id"));
  return response;
}

}  // namespace sluice::api
