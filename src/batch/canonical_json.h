// CanonicalJson: one text for every spelling of the same JSON value, so that request bodies that
// differ only in key order, whitespace or number spelling (1, 1.0, 1e0) compare equal. Objects'
// keys are sorted (by bytes), no whitespace is kept, integral numbers are written as integers and
// others with 17 significant digits; strings are re-escaped the one JSON way. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sluice::batch {

// The canonical text of the JSON in `text`; nullopt when `text` is not one JSON value.
std::optional<std::string> CanonicalJson(std::string_view text);

}  // namespace sluice::batch
