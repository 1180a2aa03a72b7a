// The dashboard's HTTP side (/ui): its pages and files, built into the binary (ui/assets.h),
// and its login, which keeps the gateway key in an HttpOnly, SameSite=Strict cookie
// (kUiCookie) that the page's own calls to /v1 then carry (api/auth.h). The page holds no data:
// it reads the same /v1 endpoints as any client, so a tenant sees only its batches and an admin
// key sees every tenant's. Pure; thread-safe.
#pragma once

#include <string_view>

#include "api/auth.h"
#include "http/message.h"

namespace sluice::api {

// GET /ui and /ui/: the dashboard for a caller with a valid key (cookie or header); otherwise a
// 401 with the login form and nothing else ("Incorrect API key" when a key was presented).
http::Response UiPage(const http::Request& request, const Authenticator& auth);

// GET /ui/<name>: one of the dashboard's static files, or 404. They hold no data, so they need
// no key (the login page uses the stylesheet).
http::Response UiFile(std::string_view name);

// POST /ui/login, form field `key`: a 303 to /ui/ that sets the cookie when the key is a
// gateway key; the login form again with a 401 when it is not (nothing set).
http::Response UiLogin(const http::Request& request, const Authenticator& auth);

// POST /ui/logout: a 303 to /ui/ that clears the cookie.
http::Response UiLogout();

}  // namespace sluice::api
