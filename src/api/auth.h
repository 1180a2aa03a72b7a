// Authenticator: who is calling, from the request's "Authorization: Bearer <key>" (or, as
// Anthropic's SDKs send it, "x-api-key: <key>"; or, from the dashboard, its login cookie) and the
// configured gateway keys, or the 401 to send instead, worded as OpenAI words it. Keys are
// compared in constant time (SHA-256 digests, every key looked at). Immutable after
// construction; Authenticate is thread-safe.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/scope.h"
#include "config/config.h"
#include "http/message.h"

namespace sluice::api {

// The tenant every request belongs to when no keys are configured.
inline constexpr std::string_view kOpenModeTenant = "default";

// The dashboard's login cookie (HttpOnly, SameSite=Strict), which holds the gateway key. A
// request other than GET or HEAD is authenticated by it only when it also carries the header
// kUiHeader: a cross-site form cannot set a header, and a cross-site script cannot send one
// without a CORS preflight, which sluice never grants — so the cookie alone cancels nothing.
inline constexpr std::string_view kUiCookie = "sluice_key";
inline constexpr std::string_view kUiHeader = "x-sluice-ui";

struct Caller {
  std::string tenant;  // the key's name, or kOpenModeTenant
  // The key used (owned by the Authenticator, which outlives its callers); null in open mode.
  const config::GatewayKey* key = nullptr;

  // The batches and files this caller reaches: its tenant's, or every tenant's for an admin key.
  Scope scope() const { return Scope{.tenant = tenant, .all = key != nullptr && key->admin}; }
};

class Authenticator {
 public:
  // With no keys every request is accepted as tenant "default" (open mode: serve only on
  // loopback, config/listen_check.h).
  explicit Authenticator(std::vector<config::GatewayKey> keys);

  // Callers hold pointers into keys_: no copies, so those never dangle.
  Authenticator(const Authenticator&) = delete;
  Authenticator& operator=(const Authenticator&) = delete;

  // The caller of `request`, or a 401 response in OpenAI's shape:
  // - no "Authorization: Bearer <token>" header: type invalid_request_error, code null,
  //   "You didn't provide an API key. ...";
  // - a token that is no configured key: type invalid_request_error, code "invalid_api_key",
  //   "Incorrect API key provided: <MaskKey(token)>. ...".
  // Which routes need a caller (not /healthz, say) is the router's decision.
  std::variant<Caller, http::Response> Authenticate(const http::Request& request) const;

  // Why a request has no caller.
  enum class Rejection { kNoKey, kUnknownKey };
  // The caller of `request`: the key of its Bearer token or, failing that, of its x-api-key
  // header or its kUiCookie; or why there is none, for callers that word the 401 themselves.
  std::variant<Caller, Rejection> Identify(const http::Request& request) const;

  bool open_mode() const { return keys_.empty(); }

 private:
  using Digest = std::array<unsigned char, 32>;

  // The index of the key `token` is, if it is one.
  std::optional<std::size_t> Match(std::string_view token) const;

  std::vector<config::GatewayKey> keys_;
  std::vector<std::optional<Digest>> digests_;  // SHA-256 of keys_[i].key; unset: unusable
};

// `key` as it may be shown back: its first and last few characters (at most a sixth of it each,
// and at most 8 and 4, as OpenAI shows "sk-abcde****...wxyz") with '*' for the rest; short keys
// are all '*'. Characters that are not printable ASCII are shown as '*' too.
std::string MaskKey(std::string_view key);

// The value of cookie `name` in the request's Cookie header(s) (RFC 6265 "a=b; c=d"), if set.
std::optional<std::string_view> CookieValue(const http::Request& request, std::string_view name);

}  // namespace sluice::api
