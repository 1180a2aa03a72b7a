// Which URLs may receive webhooks: http or https with a host, and never the gateway itself (a
// webhook that calls back into sluice would loop). Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::webhooks {

// Why `url` cannot receive webhooks from a gateway listening on `listen_host`:`listen_port`;
// nullopt when it can. A loopback or unspecified listen address (0.0.0.0, ::) also covers
// 127.0.0.1, ::1 and localhost at the same port.
std::optional<std::string> WebhookUrlProblem(std::string_view url, std::string_view listen_host,
                                             std::uint16_t listen_port);

}  // namespace sluice::webhooks
