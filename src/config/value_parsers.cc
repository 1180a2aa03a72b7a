#include "config/value_parsers.h"

#include <arpa/inet.h>

#include <array>
#include <cctype>
#include <charconv>
#include <limits>
#include <optional>
#include <string>

namespace sluice::config {
namespace {

bool IsIpLiteral(const std::string& host, bool v6) {
  unsigned char buffer[16];
  return inet_pton(v6 ? AF_INET6 : AF_INET, host.c_str(), buffer) == 1;
}

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Plain decimal digits that fit in int64; nullopt for signs, points, exponents or overflow.
std::optional<std::int64_t> ParseDecimal(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (!IsDigits(text) || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Result<std::uint16_t> ParsePort(std::string_view text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (!IsDigits(text) || ec != std::errc() || end != text.data() + text.size() || value > 65535) {
    return InvalidArgumentError("port must be a number from 0 to 65535, got '" + std::string(text) +
                                "'");
  }
  return static_cast<std::uint16_t>(value);
}

// Checks the "[userinfo@]host[:port]" part of a URL after its scheme.
Status ValidateAuthority(std::string_view authority, std::string_view url) {
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host = authority;
  std::optional<std::string_view> port;
  // The port's colon is the last one after any bracketed IPv6 literal.
  auto bracket = authority.rfind(']');
  auto colon = authority.rfind(':');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty() || host == "[]") {
    return InvalidArgumentError("URL '" + std::string(url) + "' has no host");
  }
  if (port && !ParsePort(*port).ok()) {
    return InvalidArgumentError("URL '" + std::string(url) + "' has a bad port");
  }
  return OkStatus();
}

Status ValidateUrlWithSchemes(std::string_view url, std::string_view a, std::string_view b) {
  if (url.find_first_of(" \t\r\n") != std::string_view::npos) {
    return InvalidArgumentError("URL '" + std::string(url) + "' contains whitespace");
  }
  std::optional<std::string_view> rest;
  for (std::string_view scheme : {a, b}) {
    if (url.starts_with(scheme)) rest = url.substr(scheme.size());
  }
  if (!rest) {
    return InvalidArgumentError("URL '" + std::string(url) + "' must start with " + std::string(a) +
                                " or " + std::string(b));
  }
  return ValidateAuthority(rest->substr(0, rest->find_first_of("/?#")), url);
}

}  // namespace

Result<HostPort> ParseHostPort(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return InvalidArgumentError("address must be host:port (like 127.0.0.1:8080), got '" +
                                std::string(text) + "'");
  }
  std::string host(text.substr(0, colon));
  bool v6 = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (v6) host = host.substr(1, host.size() - 2);
  if (!IsIpLiteral(host, v6)) {
    return InvalidArgumentError(
        "address host must be an IP address (like 127.0.0.1, 0.0.0.0 or [::1]), got '" +
        std::string(text) + "'");
  }
  SLUICE_ASSIGN_OR_RETURN(std::uint16_t port, ParsePort(text.substr(colon + 1)));
  return HostPort{std::move(host), port};
}

Status ValidateHttpUrl(std::string_view url) {
  return ValidateUrlWithSchemes(url, "http://", "https://");
}

Status ValidateStoreUrl(std::string_view url) {
  return ValidateUrlWithSchemes(url, "redis://", "rediss://");
}

Result<std::int64_t> ParseByteSize(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, std::int64_t>, 10> kUnits = {{
      {"b", 1},
      {"kb", 1'000},
      {"mb", 1'000'000},
      {"gb", 1'000'000'000},
      {"tb", 1'000'000'000'000},
      {"kib", std::int64_t{1} << 10},
      {"mib", std::int64_t{1} << 20},
      {"gib", std::int64_t{1} << 30},
      {"tib", std::int64_t{1} << 40},
      {"", 1},
  }};
  auto bad = [&] {
    return InvalidArgumentError("expected a size such as 200MB, 1GiB or 1048576, got '" +
                                std::string(text) + "'");
  };
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  Result<std::int64_t> number = ParsePositiveInteger(text.substr(0, digits));
  if (!number.ok()) return bad();
  std::string unit(text.substr(digits));
  if (unit.size() > 1 && unit.front() == ' ') unit.erase(0, 1);
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [name, factor] : kUnits) {
    if (unit != name) continue;
    if (*number > std::numeric_limits<std::int64_t>::max() / factor) return bad();
    return *number * factor;
  }
  return bad();
}

Result<std::int64_t> ParsePositiveInteger(std::string_view text) {
  std::optional<std::int64_t> value = ParseDecimal(text);
  if (!value || *value < 1) {
    return InvalidArgumentError("must be a positive integer, got '" + std::string(text) + "'");
  }
  return *value;
}

Result<std::int64_t> ParseNonNegativeInteger(std::string_view text) {
  std::optional<std::int64_t> value = ParseDecimal(text);
  if (!value) {
    return InvalidArgumentError("must be an integer >= 0, got '" + std::string(text) + "'");
  }
  return *value;
}

}  // namespace sluice::config
