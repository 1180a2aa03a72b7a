#include "api/ui.h"

#include <string>

#include "ui/assets.h"

namespace sluice::api {
namespace {

// Only the gateway's own scripts, styles and API: no inline script, nothing from elsewhere, no
// framing (clickjacking a cancel button).
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
    "data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

http::Response Page(int status, std::string_view name, std::string body) {
  http::Response response;
  response.status = status;
  response.headers.Set("content-type", std::string(ui::ContentTypeOf(name)));
  response.headers.Set("cache-control", "no-store");
  response.headers.Set("content-security-policy", std::string(kContentSecurityPolicy));
  response.headers.Set("x-frame-options", "DENY");
  response.headers.Set("x-content-type-options", "nosniff");
  response.headers.Set("referrer-policy", "no-referrer");
  response.body = std::move(body);
  return response;
}

// `text` with every `{{name}}` replaced by `value` (values are the gateway's own words and
// tenant names, which are plain [A-Za-z0-9._-]: nothing to escape).
std::string Fill(std::string text, std::string_view name, std::string_view value) {
  std::string hole = "{{" + std::string(name) + "}}";
  for (std::size_t at = text.find(hole); at != std::string::npos; at = text.find(hole, at)) {
    text.replace(at, hole.size(), value);
    at += value.size();
  }
  return text;
}

http::Response LoginForm(int status, std::string_view message) {
  const ui::Asset* login = ui::FindAsset("login.html");
  std::string body = Fill(std::string(login->body), "message", message);
  return Page(status, "login.html", std::move(body));
}

http::Response SeeUi(std::string cookie) {
  http::Response response = Page(303, "index.html", "");
  response.headers.Set("location", "/ui/");
  response.headers.Set("set-cookie", std::move(cookie));
  return response;
}

// RFC 6265's cookie-octet: printable ASCII but for the space, '"', ',', ';' and '\'.
bool FitsInACookie(std::string_view key) {
  for (char c : key) {
    if (c <= ' ' || c > '~' || c == '"' || c == ',' || c == ';' || c == '\\') return false;
  }
  return true;
}

}  // namespace

http::Response UiPage(const http::Request& request, const Authenticator& auth) {
  auto caller = auth.Identify(request);
  if (auto* rejection = std::get_if<Authenticator::Rejection>(&caller)) {
    bool wrong = *rejection == Authenticator::Rejection::kUnknownKey;
    return LoginForm(401, wrong ? "Incorrect API key: sign in again." : "");
  }
  const Caller& who = std::get<Caller>(caller);
  std::string body = std::string(ui::FindAsset("index.html")->body);
  body = Fill(std::move(body), "tenant", who.tenant);
  body = Fill(std::move(body), "scope", who.scope().all ? "all" : "tenant");
  return Page(200, "index.html", std::move(body));
}

http::Response UiFile(std::string_view name) {
  const ui::Asset* asset = ui::FindAsset(name);
  if (asset == nullptr || name.ends_with(".html")) {
    return http::ErrorResponse({404, "invalid_request_error",
                                "No such dashboard file: " + std::string(name), {}, {}});
  }
  http::Response response = Page(200, name, std::string(asset->body));
  response.headers.Set("cache-control", "no-cache");
  return response;
}

http::Response UiLogin(const http::Request& request, const Authenticator& auth) {
  std::string key = http::FormValue(request.body, "key").value_or("");
  if (key.empty()) return LoginForm(401, "Enter a gateway key.");
  if (!FitsInACookie(key)) {
    return LoginForm(400, "This key holds a character a cookie cannot carry (\" , ; \\): use it "
                          "with the API, or sign in with a key made by openssl rand -hex 24.");
  }
  http::Request probe;
  probe.method = "GET";
  probe.target = "/ui/";
  probe.headers.Set("authorization", "Bearer " + key);
  if (!std::holds_alternative<Caller>(auth.Identify(probe))) {
    return LoginForm(401, "Incorrect API key.");
  }
  return SeeUi(std::string(kUiCookie) + "=" + key + "; Path=/; HttpOnly; SameSite=Strict");
}

http::Response UiLogout() {
  return SeeUi(std::string(kUiCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
}

}  // namespace sluice::api
