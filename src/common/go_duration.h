// FormatGoDuration: durations in Go's time.Duration.String() form ("0s", "20ms", "1.44s", "6m0s",
// "1h2m3.5s"), as OpenAI sends them in x-ratelimit-reset-* headers. Pure; thread-safe.
#pragma once

#include <string>

#include "common/clock.h"

namespace sluice {

// Rounds `d` UP to whole milliseconds (a client that waits that long finds what was promised),
// then formats it the way Go does: below one second "<n>ms"; from one second on hours, minutes and
// seconds with trailing fractional zeros dropped. Zero and negative durations are "0s".
std::string FormatGoDuration(Duration d);

// `d` rounded up to whole milliseconds (negative: 0).
std::int64_t CeilMilliseconds(Duration d);

}  // namespace sluice
