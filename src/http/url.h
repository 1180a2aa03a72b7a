// Url: an absolute http:// or https:// URL split into what the client needs: the origin it
// connects to (the pool key), the Host header and the request target. Pure; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sluice::http {

struct Url {
  bool tls = false;         // https
  std::string host;         // lower-case name or IP literal, without IPv6 brackets
  std::uint16_t port = 0;   // explicit or the scheme's default (80/443)
  std::string host_header;  // "example.com", "example.com:8443", "[::1]:8080"
  std::string target;       // origin-form: "/v1/chat/completions?x=1" ("/" when empty)
  std::string origin;       // "https://example.com:443": one connection pool per origin

  // True when host is an IPv4/IPv6 literal (no DNS, no SNI).
  bool host_is_ip = false;
};

// Parses `url`. kInvalidArgument when it is not absolute, not http/https, has no host, carries
// user info (credentials belong in headers) or has a bad port.
Result<Url> ParseUrl(std::string_view url);

}  // namespace sluice::http
