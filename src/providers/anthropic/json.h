// Small readers of boost::json fields and the Refusal maker that the Anthropic translation files
// share (request, messages, response, stream_decoder in this folder).
// Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "providers/provider.h"

namespace sluice::providers::anthropic_json {

// The string at `key`; empty when absent or not a string.
inline std::string_view StringAt(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string_view(value->as_string())
                                                : std::string_view();
}

// The object at `key`; nullptr when absent or not an object.
inline const boost::json::object* ObjectAt(const boost::json::object& object,
                                           std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  return value != nullptr ? value->if_object() : nullptr;
}

inline Refusal Refuse(std::string param, std::string message) {
  return Refusal{std::move(message), std::move(param)};
}

// nullopt: translated; otherwise why not.
using Refused = std::optional<Refusal>;

}  // namespace sluice::providers::anthropic_json
