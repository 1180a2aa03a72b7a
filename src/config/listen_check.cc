#include "config/listen_check.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <string>

namespace sluice::config {

bool IsLoopbackHost(std::string_view host) {
  std::string text(host);
  std::array<unsigned char, 16> bytes{};
  if (inet_pton(AF_INET, text.c_str(), bytes.data()) == 1) return bytes[0] == 127;
  if (inet_pton(AF_INET6, text.c_str(), bytes.data()) != 1) return false;
  constexpr std::array<unsigned char, 16> kLoopback6 = {0, 0, 0, 0, 0, 0, 0, 0,
                                                        0, 0, 0, 0, 0, 0, 0, 1};
  if (bytes == kLoopback6) return true;
  // ::ffff:a.b.c.d is the IPv4 address a.b.c.d seen from an IPv6 socket.
  bool mapped = std::all_of(bytes.begin(), bytes.begin() + 10, [](auto b) { return b == 0; }) &&
                bytes[10] == 0xff && bytes[11] == 0xff;
  return mapped && bytes[12] == 127;
}

Status CheckListenAddress(const Config& config) {
  if (!config.keys.empty() || IsLoopbackHost(config.listen.host)) return OkStatus();
  return FailedPreconditionError(
      "refusing to listen on " + config.listen.ToString() +
      " without authentication: add gateway keys to the config (keys:, see docs/operations.md) "
      "or listen on a loopback address such as 127.0.0.1");
}

}  // namespace sluice::config
