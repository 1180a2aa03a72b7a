// NewId: the ids sluice hands out ("file-…", "batch_…"): a prefix and 24 random characters from
// [A-Za-z0-9], like OpenAI's. NewHexId: random lowercase hex, for W3C trace and span ids. Both
// draw from the operating system's randomness, so ids never repeat across restarts or nodes.
// Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sluice {

// NewId("file-") -> "file-7Gx0…" (prefix + 24 characters).
std::string NewId(std::string_view prefix);

// NewHexId(16) -> "00f067aa0ba902b7": `digits` lowercase hex digits, never all zero (W3C Trace
// Context forbids an all-zero id).
std::string NewHexId(std::size_t digits);

}  // namespace sluice
