// The rule that keeps an unauthenticated gateway off the network: with no gateway keys in the
// config, sluice may listen on a loopback address only. Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "common/status.h"
#include "config/config.h"

namespace sluice::config {

// What `sluice serve` says at start when it runs without keys.
inline constexpr std::string_view kOpenModeNotice =
    "no gateway keys configured: serving without authentication on loopback only";

// True for 127.0.0.0/8, ::1 and IPv4-mapped 127.x.x.x (::ffff:127.0.0.1); false for every other
// address, the wildcards 0.0.0.0 and :: included, and for anything that is not an IP literal.
bool IsLoopbackHost(std::string_view host);

// OK when `config` has gateway keys or listens on a loopback address. Otherwise
// kFailedPrecondition with one line naming the address and both ways out (add keys, or listen on
// 127.0.0.1).
Status CheckListenAddress(const Config& config);

}  // namespace sluice::config
