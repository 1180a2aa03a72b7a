// JsonTypeName: how OpenAI's "Invalid type for 'x': expected ..., but got <type> instead." errors
// name a JSON value's type. Shared by the gateway's request checks and the mock's. Pure.
#pragma once

#include <boost/json/value.hpp>
#include <string_view>

namespace sluice::http {

// "a string", "an integer", "a decimal", "a boolean", "an array", "an object" or "null".
std::string_view JsonTypeName(const boost::json::value& value);

}  // namespace sluice::http
