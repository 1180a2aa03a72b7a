// Process logging: one spdlog logger writing to stderr (stdout is for command output), as
// human-readable lines or as JSON lines. Call ConfigureLogging from main's thread before any
// other thread logs; the logger itself is thread-safe.
#pragma once

#include "config/config.h"

namespace sluice::cli {

// Makes the default spdlog logger write to stderr at `options.level`: text lines (colored when
// stderr is a terminal) or one JSON object per line. May be called again to change either.
void ConfigureLogging(const config::LogOptions& options);

}  // namespace sluice::cli
