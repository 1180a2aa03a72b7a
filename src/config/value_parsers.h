// Parsers and checks for single config values (addresses, URLs, counts). Pure functions that
// return errors as values; the messages carry no location, the caller adds "file:line:col: ".
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.h"
#include "config/config.h"

namespace sluice::config {

// "127.0.0.1:8080", "0.0.0.0:0", "[::1]:8080" -> HostPort. The host must be an IP literal (the
// server binds, it does not resolve names); the port 0..65535. kInvalidArgument otherwise.
Result<HostPort> ParseHostPort(std::string_view text);

// OK for an absolute http:// or https:// URL with a host (and optional numeric port and path);
// kInvalidArgument naming what is wrong otherwise.
Status ValidateHttpUrl(std::string_view url);

// OK for "redis://..." or "rediss://..." with a host; kInvalidArgument otherwise.
Status ValidateStoreUrl(std::string_view url);

// A decimal integer >= 1 that fits in int64 ("500"); kInvalidArgument for anything else
// ("0", "-5", "1.5", "1e3", "", "12abc").
Result<std::int64_t> ParsePositiveInteger(std::string_view text);

// As ParsePositiveInteger, but 0 is accepted too ("must be an integer >= 0, got '-1'").
Result<std::int64_t> ParseNonNegativeInteger(std::string_view text);
// A size in bytes above zero: a positive integer with an optional unit, decimal (KB, MB, GB, TB:
// powers of 1000) or binary (KiB, MiB, GiB, TiB: powers of 1024), in any letter case and
// optionally after a space: "200MB", "1 GiB", "512". kInvalidArgument for anything else.
Result<std::int64_t> ParseByteSize(std::string_view text);

}  // namespace sluice::config
