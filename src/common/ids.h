// NewId: the ids sluice hands out ("file-…", "batch_…"): a prefix and 24 random characters from
// [A-Za-z0-9], like OpenAI's. Drawn from the operating system's randomness, so ids never repeat
// across restarts or nodes.
// Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace sluice {

// NewId("file-") -> "file-7Gx0…" (prefix + 24 characters).
std::string NewId(std::string_view prefix);

}  // namespace sluice
