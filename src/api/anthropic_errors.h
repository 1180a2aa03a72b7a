// The answers of sluice's Anthropic-shaped routes (POST /v1/messages): errors in Anthropic's
// envelope {"type":"error","error":{"type","message"},"request_id"} with the type Anthropic uses
// for the status, so Anthropic's SDKs raise the right error class, and Anthropic's request-id
// header beside sluice's x-request-id. Pure; thread-safe.
#pragma once

#include <string_view>

#include "http/message.h"

namespace sluice::api {

// `response` as an Anthropic-shaped route answers it: both request id headers, the same value
// (a new one when it has neither); an error (4xx, 5xx) whose body is in OpenAI's shape
// ({"error":{"message",...}}) rewritten into Anthropic's envelope, its message kept. Any other
// body — an Anthropic upstream's own — is left as it is.
http::Response InAnthropicShape(http::Response response);

// Sets request-id and x-request-id on a stream's head, as InAnthropicShape does.
void SetAnthropicRequestIds(http::Headers& headers);

// 401 authentication_error: "x-api-key header is required" when no key came, "invalid
// x-api-key" for a key that is no gateway key (Anthropic's words).
http::Response AnthropicUnauthorized(bool key_given);

}  // namespace sluice::api
