#include "webhooks/webhook_url.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace sluice::webhooks {
namespace {

bool IsLoopbackOrAny(std::string_view host) {
  return host == "localhost" || host == "::1" || host == "::" || host == "0.0.0.0" ||
         host.starts_with("127.");
}

}  // namespace

std::optional<std::string> WebhookUrlProblem(std::string_view url, std::string_view listen_host,
                                             std::uint16_t listen_port) {
  std::string lower(url);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::uint16_t port = 0;
  std::string_view rest = lower;
  if (rest.starts_with("https://")) {
    port = 443;
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    port = 80;
    rest.remove_prefix(7);
  } else {
    return "a webhook URL is http:// or https://, got '" + std::string(url) + "'";
  }
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) {
    return "a webhook URL carries no user or password: '" + std::string(url) + "'";
  }
  std::string_view host = authority;
  std::string_view port_text;
  if (host.starts_with("[")) {  // [::1]:8080
    std::size_t close = host.find(']');
    if (close == std::string_view::npos) return "a webhook URL's host is malformed: '" + std::string(url) + "'";
    if (close + 1 < host.size() && host[close + 1] == ':') port_text = host.substr(close + 2);
    host = host.substr(1, close - 1);
  } else if (std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    port_text = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.empty()) return "a webhook URL names no host: '" + std::string(url) + "'";
  if (!port_text.empty()) {
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0) {
      return "a webhook URL's port is not a port: '" + std::string(url) + "'";
    }
  }
  bool same_host = host == listen_host || (IsLoopbackOrAny(listen_host) && IsLoopbackOrAny(host));
  if (same_host && port == listen_port) {
    return "a webhook URL may not point at the gateway itself: '" + std::string(url) + "'";
  }
  return std::nullopt;
}

}  // namespace sluice::webhooks
