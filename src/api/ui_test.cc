#include "api/ui.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::api {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kKey = "sk-ui-test-0123456789abcdef";

Authenticator OneKey(bool admin = false) {
  config::GatewayKey key;
  key.name = "team-a";
  key.key = std::string(kKey);
  key.admin = admin;
  return Authenticator({key});
}

http::Request Login(std::string form) {
  http::Request request{.method = "POST", .target = "/ui/login", .headers = {}, .body = ""};
  request.headers.Set("content-type", "application/x-www-form-urlencoded");
  request.body = std::move(form);
  return request;
}

http::Request Page(std::optional<std::string> cookie) {
  http::Request request{.method = "GET", .target = "/ui/", .headers = {}, .body = ""};
  if (cookie) request.headers.Set("cookie", *cookie);
  return request;
}

TEST(UiTest, ALoginWithAGatewayKeySetsAStrictHttpOnlyCookie) {
  Authenticator auth = OneKey();
  http::Response response = UiLogin(Login("key=" + std::string(kKey)), auth);
  EXPECT_EQ(response.status, 303);
  EXPECT_EQ(response.headers.Get("location"), "/ui/");
  EXPECT_EQ(response.headers.Get("set-cookie"),
            "sluice_key=" + std::string(kKey) + "; Path=/; HttpOnly; SameSite=Strict");
}

TEST(UiTest, AWrongKeyGetsTheFormAgainWithA401AndNoCookie) {
  Authenticator auth = OneKey();
  for (std::string form : {"key=sk-wrong-0123456789abcdef", "key=", "other=1"}) {
    http::Response response = UiLogin(Login(form), auth);
    EXPECT_EQ(response.status, 401) << form;
    EXPECT_FALSE(response.headers.Get("set-cookie")) << form;
    EXPECT_THAT(response.body, HasSubstr("<form method=\"post\" action=\"/ui/login\""));
  }
  http::Response semicolon = UiLogin(Login("key=a%3Bb-0123456789abcdef"), auth);
  EXPECT_EQ(semicolon.status, 400);
  EXPECT_THAT(semicolon.body, HasSubstr("cannot carry"));
}

TEST(UiTest, ThePageNeedsAKeyAndNamesItsScope) {
  Authenticator auth = OneKey(/*admin=*/true);
  http::Response none = UiPage(Page(std::nullopt), auth);
  EXPECT_EQ(none.status, 401);
  EXPECT_THAT(none.body, Not(HasSubstr("app.js")));
  http::Response wrong = UiPage(Page("sluice_key=sk-wrong-0123456789abcdef"), auth);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_THAT(wrong.body, HasSubstr("Incorrect API key"));
  http::Response page = UiPage(Page("sluice_key=" + std::string(kKey)), auth);
  EXPECT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("<meta name=\"sluice-tenant\" content=\"team-a\">"));
  EXPECT_THAT(page.body, HasSubstr("<meta name=\"sluice-scope\" content=\"all\">"));
  EXPECT_THAT(std::string(page.headers.Get("content-security-policy").value_or("")),
              HasSubstr("frame-ancestors 'none'"));
}

TEST(UiTest, FilesAreServedWithTheirTypeAndPagesOnlyThroughTheirRoute) {
  http::Response script = UiFile("app.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.headers.Get("content-type"), "text/javascript; charset=utf-8");
  EXPECT_THAT(script.body, HasSubstr("EventSource"));
  EXPECT_EQ(UiFile("uplot.min.js").status, 200);
  EXPECT_EQ(UiFile("index.html").status, 404);  // only UiPage, which checks the key
  EXPECT_EQ(UiFile("nope.js").status, 404);
}

TEST(UiTest, LogoutClearsTheCookie) {
  http::Response response = UiLogout();
  EXPECT_EQ(response.status, 303);
  EXPECT_THAT(std::string(response.headers.Get("set-cookie").value_or("")),
              HasSubstr("Max-Age=0"));
}

}  // namespace
}  // namespace sluice::api
