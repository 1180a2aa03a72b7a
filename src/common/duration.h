// Durations as text, in Go's time.Duration form: "20ms", "1.5s", "6m0s", "2m52.8s", "1h". OpenAI
// sends rate-limit resets in this form, and sluice's own flags and config accept it. Pure.
#pragma once

#include <string_view>

#include "common/clock.h"
#include "common/result.h"

namespace sluice {

// Parses a sequence of decimal numbers, each with a unit (h, m, s, ms, us, µs, ns), such as
// "1h2m3.5s" or "300ms"; "0" alone is zero. kInvalidArgument for anything else (no unit, a
// negative sign, an unknown unit, overflow).
Result<Duration> ParseDuration(std::string_view text);

}  // namespace sluice
