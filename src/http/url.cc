// ParseUrl on Boost.URL; see url.h.
#include "http/url.h"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cctype>
#include <charconv>

namespace sluice::http {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Status Invalid(std::string_view url, std::string_view why) {
  return InvalidArgumentError("bad URL \"" + std::string(url) + "\": " + std::string(why));
}

}  // namespace

Result<Url> ParseUrl(std::string_view text) {
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed) return Invalid(text, parsed.error().message());
  const boost::urls::url_view& view = *parsed;
  Url url;
  std::string scheme = Lower(view.scheme());
  if (scheme == "https") {
    url.tls = true;
  } else if (scheme != "http") {
    return Invalid(text, "scheme must be http or https");
  }
  if (view.has_userinfo()) return Invalid(text, "user info is not supported");
  url.host = Lower(view.host_address());
  if (url.host.empty()) return Invalid(text, "no host");
  auto type = view.host_type();
  url.host_is_ip = type == boost::urls::host_type::ipv4 || type == boost::urls::host_type::ipv6;
  if (type == boost::urls::host_type::ipvfuture) return Invalid(text, "unsupported IP literal");
  const std::uint16_t default_port = url.tls ? 443 : 80;
  url.port = default_port;
  if (view.has_port() && !view.port().empty()) {
    std::string_view digits = view.port();
    unsigned port = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (error != std::errc() || end != digits.data() + digits.size() || port == 0 || port > 65535) {
      return Invalid(text, "bad port");
    }
    url.port = static_cast<std::uint16_t>(port);
  }
  std::string bracketed = type == boost::urls::host_type::ipv6 ? "[" + url.host + "]" : url.host;
  url.host_header = bracketed;
  if (url.port != default_port) url.host_header += ":" + std::to_string(url.port);
  url.origin = scheme + "://" + bracketed + ":" + std::to_string(url.port);
  url.target = view.encoded_target();
  if (url.target.empty() || url.target.front() != '/') url.target.insert(0, "/");
  return url;
}

}  // namespace sluice::http
