#include "api/anthropic_errors.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/errors.h"
#include "api/routes.h"

namespace sluice::api {
namespace {

namespace json = boost::json;

TEST(AnthropicErrorsTest, OpenAiShapedErrorsGetAnthropicsEnvelopeAndBothRequestIds) {
  http::Response response = InAnthropicShape(InvalidRequest(404, "no such model", "model"));
  EXPECT_EQ(response.status, 404);
  auto id = response.headers.Get("request-id");
  ASSERT_TRUE(id);
  EXPECT_EQ(response.headers.Get("x-request-id"), id);
  json::object body = json::parse(response.body).as_object();
  EXPECT_EQ(body.at("type"), "error");
  EXPECT_EQ(body.at("error").at("type"), "not_found_error");
  EXPECT_EQ(body.at("error").at("message"), "no such model");
  EXPECT_EQ(body.at("request_id").as_string(), *id);
}

TEST(AnthropicErrorsTest, AnthropicsOwnBodiesAndSuccessesAreLeftAlone) {
  http::Response relayed = http::JsonResponse(
      529, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
  relayed.headers.Set("request-id", "req_upstream");
  http::Response shaped = InAnthropicShape(relayed);
  EXPECT_EQ(shaped.body, relayed.body);
  EXPECT_EQ(shaped.headers.Get("x-request-id"), "req_upstream");
  http::Response ok = InAnthropicShape(http::JsonResponse(200, R"({"error":{"message":"x"}})"));
  EXPECT_EQ(ok.body, R"({"error":{"message":"x"}})");
}

TEST(AnthropicErrorsTest, UnauthorizedUsesAnthropicsWords) {
  json::object missing = json::parse(AnthropicUnauthorized(false).body).as_object();
  EXPECT_EQ(missing.at("error").at("type"), "authentication_error");
  EXPECT_EQ(missing.at("error").at("message"), "x-api-key header is required");
  EXPECT_EQ(json::parse(AnthropicUnauthorized(true).body).at("error").at("message"),
            "invalid x-api-key");
  EXPECT_EQ(AnthropicUnauthorized(true).status, 401);
}

TEST(AnthropicErrorsTest, OnlyTheMessagesPathsAreAnthropics) {
  EXPECT_TRUE(IsAnthropicPath("/v1/messages"));
  EXPECT_TRUE(IsAnthropicPath("/v1/messages/count_tokens"));
  EXPECT_FALSE(IsAnthropicPath("/v1/messagesx"));
  EXPECT_FALSE(IsAnthropicPath("/v1/chat/completions"));
}

}  // namespace
}  // namespace sluice::api
