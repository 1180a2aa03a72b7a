// Header values with parameters, as Content-Type and Content-Disposition carry them:
// `form-data; name="file"; filename="a b.jsonl"`. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::http {

struct HeaderValue {
  std::string value;  // the part before the first ';', trimmed and lower-cased
  // Each parameter's name (lower-cased) and value (quotes removed, backslash escapes undone).
  std::vector<std::pair<std::string, std::string>> params;

  // The value of parameter `name` (lower case), if present.
  std::optional<std::string_view> Param(std::string_view name) const;
};

// `s` without leading and trailing spaces and tabs.
std::string_view TrimSpaces(std::string_view s);

// Parses `text`; nullopt when a quoted string is not closed or a parameter has no name.
std::optional<HeaderValue> ParseHeaderValue(std::string_view text);

// The value of an RFC 8187 extended parameter (`UTF-8''a%20b.jsonl` -> "a b.jsonl"); nullopt
// when it is not in that form or its percent-encoding is broken.
std::optional<std::string> DecodeExtendedValue(std::string_view text);

}  // namespace sluice::http
