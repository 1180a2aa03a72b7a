#include "api/auth.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace sluice::api {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr std::string_view kTeamAKey = "sk-team-a-0123456789abcdefghij";
constexpr std::string_view kTeamBKey = "sk-team-b-0123456789abcdefghij";

std::vector<config::GatewayKey> TwoKeys() {
  return {
      {.name = "team-a", .key = std::string(kTeamAKey), .rpm = 600, .tpm = 0, .webhook_url = "",
       .admin = false},
      {.name = "team-b", .key = std::string(kTeamBKey), .rpm = 0, .tpm = 0, .webhook_url = "",
       .admin = true}};
}

http::Request WithAuthorization(std::optional<std::string> value) {
  http::Request request{.method = "GET", .target = "/v1/files", .headers = {}, .body = ""};
  if (value) request.headers.Add("Authorization", *value);
  return request;
}

// The 401 that `request` gets from `auth`, with its error object parsed.
boost::json::object Rejection(const Authenticator& auth, const http::Request& request) {
  auto result = auth.Authenticate(request);
  const auto* response = std::get_if<http::Response>(&result);
  EXPECT_NE(response, nullptr) << "expected a rejection";
  if (response == nullptr) return {};
  EXPECT_EQ(response->status, 401);
  EXPECT_EQ(response->headers.Get("content-type"), "application/json");
  EXPECT_EQ(response->headers.Get("www-authenticate"), "Bearer");
  return boost::json::parse(response->body).at("error").as_object();
}

TEST(AuthenticatorTest, AKnownKeyIsItsTenant) {
  Authenticator auth(TwoKeys());
  for (std::string header :
       {"Bearer " + std::string(kTeamBKey), "bearer " + std::string(kTeamBKey) + "  "}) {
    auto result = auth.Authenticate(WithAuthorization(header));
    const Caller* caller = std::get_if<Caller>(&result);
    ASSERT_NE(caller, nullptr) << header;
    EXPECT_EQ(caller->tenant, "team-b");
    ASSERT_NE(caller->key, nullptr);
    EXPECT_EQ(caller->key->name, "team-b");
  }
  auto a = auth.Authenticate(WithAuthorization("Bearer " + std::string(kTeamAKey)));
  ASSERT_TRUE(std::holds_alternative<Caller>(a));
  EXPECT_EQ(std::get<Caller>(a).key->rpm, 600);
}

TEST(AuthenticatorTest, AnthropicsXApiKeyHeaderCarriesAKeyToo) {
  Authenticator auth(TwoKeys());
  http::Request request = WithAuthorization(std::nullopt);
  request.headers.Add("x-api-key", std::string(kTeamAKey));
  auto caller = auth.Identify(request);
  ASSERT_TRUE(std::holds_alternative<Caller>(caller));
  EXPECT_EQ(std::get<Caller>(caller).tenant, "team-a");
  // Anthropic's SDK sends both when given an auth token too: either may be the gateway key.
  http::Request both = WithAuthorization("Bearer some-anthropic-token");
  both.headers.Add("x-api-key", std::string(kTeamBKey));
  ASSERT_TRUE(std::holds_alternative<Caller>(auth.Identify(both)));
  EXPECT_EQ(std::get<Caller>(auth.Identify(both)).tenant, "team-b");
  http::Request wrong = WithAuthorization(std::nullopt);
  wrong.headers.Add("x-api-key", "sk-nobody-0123456789abcdef");
  EXPECT_EQ(std::get<Authenticator::Rejection>(auth.Identify(wrong)),
            Authenticator::Rejection::kUnknownKey);
  EXPECT_EQ(std::get<Authenticator::Rejection>(auth.Identify(WithAuthorization(std::nullopt))),
            Authenticator::Rejection::kNoKey);
  EXPECT_EQ(Rejection(auth, wrong).at("code"), "invalid_api_key");
}

TEST(AuthenticatorTest, MissingKeyIsOpenAisNoKeyError) {
  Authenticator auth(TwoKeys());
  for (std::optional<std::string> header :
       {std::optional<std::string>(), std::optional<std::string>("Bearer"),
        std::optional<std::string>("Bearer    "), std::optional<std::string>("Basic dXNlcjpwYXNz"),
        std::optional<std::string>(std::string(kTeamAKey))}) {
    boost::json::object error = Rejection(auth, WithAuthorization(header));
    EXPECT_THAT(std::string(error.at("message").as_string()),
                StartsWith("You didn't provide an API key. You need to provide your API key in an "
                           "Authorization header using Bearer auth"))
        << header.value_or("<none>");
    EXPECT_EQ(error.at("type"), "invalid_request_error");
    EXPECT_TRUE(error.at("code").is_null());
    EXPECT_TRUE(error.at("param").is_null());
  }
}

TEST(AuthenticatorTest, WrongKeyIsInvalidApiKeyWithTheKeyMasked) {
  Authenticator auth(TwoKeys());
  const std::string wrong = "sk-abcdefgh-not-a-real-key-wxyz";
  boost::json::object error = Rejection(auth, WithAuthorization("Bearer " + wrong));
  EXPECT_EQ(error.at("type"), "invalid_request_error");
  EXPECT_EQ(error.at("code"), "invalid_api_key");
  std::string message(error.at("message").as_string());
  EXPECT_EQ(message, "Incorrect API key provided: sk-ab**********************wxyz.");
  EXPECT_THAT(message, Not(HasSubstr(wrong)));
}

TEST(AuthenticatorTest, AKeyThatDiffersOnlyInItsLastCharacterIsRefused) {
  Authenticator auth(TwoKeys());
  std::string almost(kTeamAKey);
  almost.back() = 'k';
  EXPECT_TRUE(std::holds_alternative<http::Response>(
      auth.Authenticate(WithAuthorization("Bearer " + almost))));
  EXPECT_TRUE(std::holds_alternative<http::Response>(
      auth.Authenticate(WithAuthorization("Bearer " + std::string(kTeamAKey) + "x"))));
  EXPECT_TRUE(std::holds_alternative<http::Response>(
      auth.Authenticate(WithAuthorization("Bearer " + std::string(kTeamAKey).substr(1)))));
}

TEST(AuthenticatorTest, WithoutKeysEveryoneIsTheDefaultTenant) {
  Authenticator auth({});
  EXPECT_TRUE(auth.open_mode());
  for (std::optional<std::string> header :
       {std::optional<std::string>(), std::optional<std::string>("Bearer anything")}) {
    auto result = auth.Authenticate(WithAuthorization(header));
    const Caller* caller = std::get_if<Caller>(&result);
    ASSERT_NE(caller, nullptr);
    EXPECT_EQ(caller->tenant, "default");
    EXPECT_EQ(caller->key, nullptr);
  }
}

TEST(AuthenticatorTest, AnAdminKeysScopeIsEveryTenant) {
  Authenticator auth(TwoKeys());
  auto a = auth.Authenticate(WithAuthorization("Bearer " + std::string(kTeamAKey)));
  auto b = auth.Authenticate(WithAuthorization("Bearer " + std::string(kTeamBKey)));
  ASSERT_TRUE(std::holds_alternative<Caller>(a));
  ASSERT_TRUE(std::holds_alternative<Caller>(b));
  Scope plain = std::get<Caller>(a).scope();
  Scope admin = std::get<Caller>(b).scope();
  EXPECT_TRUE(plain.Sees("team-a"));
  EXPECT_FALSE(plain.Sees("team-b"));
  EXPECT_TRUE(admin.Sees("team-a"));
  EXPECT_EQ(admin.tenant, "team-b");  // what an admin creates is still its own
}

http::Request WithCookie(std::string method, std::string cookie) {
  http::Request request{.method = std::move(method), .target = "/v1/batches", .headers = {},
                        .body = ""};
  request.headers.Add("Cookie", std::move(cookie));
  return request;
}

TEST(AuthenticatorTest, TheDashboardsCookieCarriesAKey) {
  Authenticator auth(TwoKeys());
  auto caller = auth.Authenticate(
      WithCookie("GET", "theme=dark; sluice_key=" + std::string(kTeamAKey) + "; lang=en"));
  ASSERT_TRUE(std::holds_alternative<Caller>(caller));
  EXPECT_EQ(std::get<Caller>(caller).tenant, "team-a");
  boost::json::object wrong = Rejection(auth, WithCookie("GET", "sluice_key=sk-not-a-key-000000"));
  EXPECT_EQ(wrong.at("code"), "invalid_api_key");
}

TEST(AuthenticatorTest, ACookieAloneChangesNothingWithoutTheDashboardsHeader) {
  Authenticator auth(TwoKeys());
  http::Request cancel = WithCookie("POST", "sluice_key=" + std::string(kTeamAKey));
  // A cross-site form can make the browser send the cookie, but not a header.
  EXPECT_TRUE(Rejection(auth, cancel).at("code").is_null());
  cancel.headers.Add("x-sluice-ui", "1");
  auto caller = auth.Authenticate(cancel);
  ASSERT_TRUE(std::holds_alternative<Caller>(caller));
  EXPECT_EQ(std::get<Caller>(caller).tenant, "team-a");
}

TEST(CookieValueTest, FindsOneCookieAmongOthersQuotedOrNot) {
  http::Request request = WithCookie("GET", "a=1;  sluice_key=\"k=v\" ; b=2");
  EXPECT_EQ(CookieValue(request, "sluice_key"), "k=v");
  EXPECT_EQ(CookieValue(request, "b"), "2");
  EXPECT_EQ(CookieValue(request, "sluice"), std::nullopt);
  EXPECT_EQ(CookieValue(WithCookie("GET", "novalue; x"), "x"), std::nullopt);
}

TEST(MaskKeyTest, ShowsAtMostASixthOfTheKeyAtEachEnd) {
  EXPECT_EQ(MaskKey("sk-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMN"),
            "sk-abcde*****************************************KLMN");
  EXPECT_EQ(MaskKey("0123456789abcdef"), "01************ef");
  EXPECT_EQ(MaskKey("short"), "*****");
  EXPECT_EQ(MaskKey(""), "");
  EXPECT_EQ(MaskKey("\x01\x02"
                    "3456789abcdef\x7f"),
            "**************f*");
}

}  // namespace
}  // namespace sluice::api
