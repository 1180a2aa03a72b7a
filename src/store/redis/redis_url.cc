#include "store/redis/redis_url.h"

#include <charconv>

namespace sluice::store::redis {
namespace {

Status Invalid(std::string_view url, std::string_view why) {
  return InvalidArgumentError("store URL " + std::string(url) + ": " + std::string(why));
}

template <typename Int>
bool ParseNumber(std::string_view text, Int* value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexDigit(text[i + 1]) >= 0 &&
        HexDigit(text[i + 2]) >= 0) {
      out += static_cast<char>(HexDigit(text[i + 1]) * 16 + HexDigit(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::string RedisUrl::Redacted() const {
  std::string out = tls ? "rediss://" : "redis://";
  if (!password.empty()) out += "<redacted>@";
  out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return out + ":" + std::to_string(port) + "/" + std::to_string(db);
}

Result<RedisUrl> ParseRedisUrl(std::string_view url) {
  // Errors quote the URL without what could be a password.
  std::string_view rest = url;
  RedisUrl parsed;
  if (rest.starts_with("rediss://")) {
    parsed.tls = true;
    rest.remove_prefix(9);
  } else if (rest.starts_with("redis://")) {
    rest.remove_prefix(8);
  } else {
    return InvalidArgumentError("store URL must start with redis:// or rediss://");
  }
  std::string_view shown = url.substr(0, url.size() - rest.size());
  std::string_view authority = rest.substr(0, rest.find('/'));
  std::string_view path = rest.substr(authority.size());
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority.remove_prefix(at + 1);
    std::size_t colon = userinfo.find(':');
    parsed.user = PercentDecoded(userinfo.substr(0, colon));
    if (colon != std::string_view::npos)
      parsed.password = PercentDecoded(userinfo.substr(colon + 1));
  }
  std::string shown_url = std::string(shown) + std::string(authority) + std::string(path);
  std::string_view port;
  if (authority.starts_with('[')) {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return Invalid(shown_url, "unclosed [ in the host");
    parsed.host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return Invalid(shown_url, "bad host");
    if (!after.empty()) port = after.substr(1);
  } else {
    std::size_t colon = authority.find(':');
    parsed.host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (parsed.host.empty()) return Invalid(shown_url, "no host");
  if (!port.empty() && (!ParseNumber(port, &parsed.port) || parsed.port == 0)) {
    return Invalid(shown_url, "the port must be a number from 1 to 65535");
  }
  if (path.size() > 1 && (!ParseNumber(path.substr(1), &parsed.db) || parsed.db < 0)) {
    return Invalid(shown_url, "the database must be a number (/0, /1, ...)");
  }
  return parsed;
}

}  // namespace sluice::store::redis
