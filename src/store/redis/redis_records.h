// How RedisStore writes its records into Redis values: items and results as length-prefixed
// fields in one string (binary-safe, no escaping), times as integers, and the zero-padded forms
// that make lexicographic sorted sets order by time. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "batch/records.h"
#include "common/result.h"

namespace sluice::store::redis {

std::string EncodeItem(const batch::NewItem& item);
Result<batch::NewItem> DecodeItem(std::string_view text);

std::string EncodeResult(const batch::ResultRecord& result);
Result<batch::ResultRecord> DecodeResult(std::string_view text);

// Nanoseconds since the epoch, as decimal text, and back.
std::string TimeText(WallTime at);
Result<WallTime> TimeFromText(std::string_view text);
// The same, zero-padded to 20 digits (negative times as 0): sorts as the times do.
std::string SortableTime(WallTime at);
// Microseconds since the epoch, for sorted-set scores (exact in a double until the year 2255).
std::string ScoreOf(WallTime at);
// A decimal integer, padded to 20 digits.
std::string Padded(std::int64_t value);

}  // namespace sluice::store::redis
