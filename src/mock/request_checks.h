// Helpers shared by the request parsers: OpenAI's 400 wording for missing parameters, wrong types
// and out-of-range values, and readers for the fields every endpoint has. Internal to mock/.
// Pure functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"
#include "mock/mock_request.h"

namespace sluice::mock {

// Each reader returns the error to answer, or nullopt to go on.
using Check = std::optional<http::ApiError>;

http::ApiError BadRequest(std::string message, std::optional<std::string> param = std::nullopt,
                          std::optional<std::string> code = std::nullopt);
// "Invalid type for 'messages': expected an array of objects, but got a string instead."
http::ApiError InvalidType(std::string_view param, std::string_view expected,
                           const boost::json::value& got);
// "Missing required parameter: 'messages'."
http::ApiError Missing(std::string_view param);

// `text` cut to at most kMaxEchoBytes at a UTF-8 character boundary.
std::string EchoPrefix(std::string_view text);

// Reads optional integer `key` within [lo, hi] into `out` (absent or null: untouched).
Check ReadBoundedInt(const boost::json::object& body, std::string_view key, std::int64_t lo,
                     std::int64_t hi, std::optional<std::int64_t>& out);
// Reads the required string `model`.
Check ReadModel(const boost::json::object& body, MockRequest& r);

// Reads `stream` and `stream_options.include_usage` (the latter only allowed with stream).
Check ReadStreaming(const boost::json::object& body, MockRequest& r);
// Reads n (1..128), max_tokens / max_completion_tokens (>= 1) and the streaming fields.
Check ReadOutputControls(const boost::json::object& body, MockRequest& r);
// The chat body: model, messages (roles, text content) and output controls.
Check ReadChat(const boost::json::object& body, MockRequest& r);

}  // namespace sluice::mock
