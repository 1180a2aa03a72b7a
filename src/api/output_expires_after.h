// output_expires_after of POST /v1/batches (OpenAI's BatchFileExpirationAfter): when a batch's
// output and error files expire, counted from each file's own creation. Read from the request,
// kept in the batch object sluice stores (not shown to clients), used when finalize writes the
// files. Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <variant>

#include "http/message.h"

namespace sluice::api {

// The seconds the request's `output_expires_after` names (nullopt when it is absent or null),
// or the 400 OpenAI answers for a bad one, naming the parameter: an object other than
// {"anchor":"created_at","seconds":3600..2592000}.
std::variant<std::optional<std::chrono::seconds>, http::Response> ParseOutputExpiresAfter(
    const boost::json::object& request);

// Keeps `seconds` in the stored batch object.
void SetOutputExpiresAfter(boost::json::object& batch, std::chrono::seconds seconds);
// What SetOutputExpiresAfter kept; nullopt when the batch named none.
std::optional<std::chrono::seconds> OutputExpiresAfter(const boost::json::object& batch);
// The batch object as clients see it: without what sluice keeps for itself.
boost::json::object ClientView(boost::json::object batch);

}  // namespace sluice::api
