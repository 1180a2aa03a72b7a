// Text for hand-built JSON: escaping a string the way JSON requires, for code that writes JSON
// lines directly (output files, log lines) without a DOM. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace sluice {

// `text` escaped for use inside a JSON string literal (no surrounding quotes): quote, backslash
// and control characters; other bytes, UTF-8 included, pass through.
std::string JsonEscape(std::string_view text);

// `text` as a JSON string literal, quotes included.
std::string JsonQuote(std::string_view text);

}  // namespace sluice
