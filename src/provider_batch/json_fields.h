// Reading the providers' batch objects and result lines: a member as a string or integer (empty
// or 0 when absent or of another type), a text as a JSON object. Pure; thread-safe.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::provider_batch {

inline std::string StringAt(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

inline std::int64_t IntAt(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v && v->is_int64() ? v->as_int64() : 0;
}

inline std::optional<boost::json::object> ParseObject(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

// Calls `each` with every non-blank line of `jsonl` as a JSON object (nullopt for a line that
// is not one), in order.
template <typename Each>
void ForEachJsonLine(std::string_view jsonl, Each each) {
  std::size_t pos = 0;
  while (pos < jsonl.size()) {
    std::size_t end = jsonl.find('\n', pos);
    if (end == std::string_view::npos) end = jsonl.size();
    std::string_view text = jsonl.substr(pos, end - pos);
    pos = end + 1;
    if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    each(ParseObject(text));
  }
}

}  // namespace sluice::provider_batch
