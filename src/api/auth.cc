#include "api/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <optional>

namespace sluice::api {
namespace {

constexpr std::string_view kNoKeyMessage =
    "You didn't provide an API key. You need to provide your API key in an Authorization header "
    "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";

// SHA-256 of `text`; nullopt if OpenSSL fails (never seen), which then matches nothing.
std::optional<std::array<unsigned char, 32>> Sha256(std::string_view text) {
  std::array<unsigned char, 32> digest{};
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 ||
      size != digest.size()) {
    return std::nullopt;
  }
  return digest;
}

// The token of "Bearer <token>" (scheme case-insensitive, RFC 7235), if there is one.
std::optional<std::string_view> BearerToken(const http::Request& request) {
  std::optional<std::string_view> header = request.headers.Get("authorization");
  if (!header) return std::nullopt;
  std::string_view value = *header;
  constexpr std::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != kScheme[i]) return std::nullopt;
  }
  value.remove_prefix(kScheme.size());
  auto first = value.find_first_not_of(" \t");
  if (first == std::string_view::npos) return std::nullopt;
  value.remove_prefix(first);
  value.remove_suffix(value.size() - (value.find_last_not_of(" \t") + 1));
  return value;
}

// The dashboard's cookie, when it may authenticate this request (see kUiCookie).
std::optional<std::string_view> UiCookieKey(const http::Request& request) {
  bool safe = request.method == "GET" || request.method == "HEAD";
  if (!safe && !request.headers.Get(kUiHeader)) return std::nullopt;
  return CookieValue(request, kUiCookie);
}

// The key the request presents, in the order Identify tries them.
std::optional<std::string_view> PresentedKey(const http::Request& request) {
  if (auto bearer = BearerToken(request)) return bearer;
  if (auto api_key = request.headers.Get("x-api-key")) return api_key;
  return UiCookieKey(request);
}

http::Response Unauthorized(std::string message, std::optional<std::string> code) {
  http::Response response = http::ErrorResponse(http::ApiError{.status = 401,
                                                               .type = "invalid_request_error",
                                                               .message = std::move(message),
                                                               .code = std::move(code),
                                                               .param = std::nullopt});
  response.headers.Set("www-authenticate", "Bearer");
  return response;
}

}  // namespace

Authenticator::Authenticator(std::vector<config::GatewayKey> keys) : keys_(std::move(keys)) {
  digests_.reserve(keys_.size());
  for (const config::GatewayKey& k : keys_) digests_.push_back(Sha256(k.key));
}

std::optional<std::size_t> Authenticator::Match(std::string_view token) const {
  // Equal-length digests compared with CRYPTO_memcmp, every key visited: the time taken says
  // nothing about how close the token came to any key.
  const std::optional<Digest> presented = Sha256(token);
  std::optional<std::size_t> match;
  for (std::size_t i = 0; presented && i < digests_.size(); ++i) {
    if (!digests_[i]) continue;
    bool equal = CRYPTO_memcmp(presented->data(), digests_[i]->data(), presented->size()) == 0;
    if (equal && !match) match = i;
  }
  return match;
}

std::variant<Caller, Authenticator::Rejection> Authenticator::Identify(
    const http::Request& request) const {
  if (keys_.empty()) return Caller{.tenant = std::string(kOpenModeTenant), .key = nullptr};
  std::optional<std::string_view> bearer = BearerToken(request);
  std::optional<std::string_view> api_key = request.headers.Get("x-api-key");
  std::optional<std::string_view> cookie = UiCookieKey(request);
  if (!bearer && !api_key && !cookie) return Rejection::kNoKey;
  std::optional<std::size_t> match = bearer ? Match(*bearer) : std::nullopt;
  if (!match && api_key) match = Match(*api_key);
  if (!match && cookie) match = Match(*cookie);
  if (!match) return Rejection::kUnknownKey;
  return Caller{.tenant = keys_[*match].name, .key = &keys_[*match]};
}

std::variant<Caller, http::Response> Authenticator::Authenticate(
    const http::Request& request) const {
  auto identified = Identify(request);
  if (auto* caller = std::get_if<Caller>(&identified)) return std::move(*caller);
  if (std::get<Rejection>(identified) == Rejection::kNoKey) {
    return Unauthorized(std::string(kNoKeyMessage), std::nullopt);
  }
  std::string_view token = PresentedKey(request).value_or("");
  return Unauthorized("Incorrect API key provided: " + MaskKey(token) + ".",
                      std::string("invalid_api_key"));
}

std::string MaskKey(std::string_view key) {
  std::size_t head = std::min<std::size_t>(8, key.size() / 6);
  std::size_t tail = std::min<std::size_t>(4, key.size() / 6);
  std::string masked(key.size(), '*');
  auto show = [&](std::size_t i) {
    char c = key[i];
    if (c > ' ' && c <= '~') masked[i] = c;
  };
  for (std::size_t i = 0; i < head; ++i) show(i);
  for (std::size_t i = key.size() - tail; i < key.size(); ++i) show(i);
  return masked;
}

std::optional<std::string_view> CookieValue(const http::Request& request, std::string_view name) {
  // A browser sends one Cookie header (RFC 6265 5.4).
  std::string_view header = request.headers.Get("cookie").value_or("");
  while (!header.empty()) {
    std::size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    pair.remove_prefix(std::min(pair.find_first_not_of(' '), pair.size()));
    std::size_t equals = pair.find('=');
    if (equals == std::string_view::npos || pair.substr(0, equals) != name) continue;
    std::string_view value = pair.substr(equals + 1);
    value.remove_suffix(value.size() - (value.find_last_not_of(' ') + 1));
    // RFC 6265 allows a value in double quotes.
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return std::nullopt;
}

}  // namespace sluice::api
