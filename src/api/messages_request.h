// The proxy's requests from Anthropic's clients (POST /v1/messages): checked as Anthropic checks
// them, then relayed unchanged (model renamed, anthropic-version and anthropic-beta passed on)
// to deployments whose provider speaks the Messages API, and translated to chat completions and
// back — answers, errors and event streams — for OpenAI-shaped ones. Pure.
#pragma once

#include <optional>

#include "api/proxy_request.h"
#include "http/message.h"

namespace sluice::api {

// Fills `call` (model, stream, what to count, the request) from `request`, or returns the
// 400 for it: a body that is no JSON object, a field Anthropic requires missing or malformed.
// The 400 is in OpenAI's shape, which the gateway turns into Anthropic's on this route.
std::optional<http::Response> ParseMessagesCall(const http::Request& request, ProxyCall& call);

}  // namespace sluice::api
