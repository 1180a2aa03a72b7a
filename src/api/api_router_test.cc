#include "api/api_router.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace sluice::api {
namespace {

http::Request Get(std::string target, std::string method = "GET") {
  http::Request request;
  request.method = std::move(method);
  request.target = std::move(target);
  return request;
}

ApiRouter MakeRouter() {
  return ApiRouter({{"gpt-4o-mini"}, WallTime(std::chrono::seconds(1767225600))});
}

TEST(ApiRouterTest, RoutesHealthReadinessAndModels) {
  ApiRouter router = MakeRouter();
  EXPECT_EQ(router.Route(Get("/healthz")).body, R"({"status":"ok"})");
  EXPECT_EQ(router.Route(Get("/readyz")).status, 200);
  http::Response models = router.Route(Get("/v1/models?limit=5"));
  ASSERT_EQ(models.status, 200);
  EXPECT_EQ(boost::json::parse(models.body).at("data").at(0).at("id"), "gpt-4o-mini");
  EXPECT_EQ(router.Route(Get("/v1/models/gpt-4o-mini")).status, 200);
  EXPECT_EQ(router.Route(Get("/v1/models/other")).status, 404);
}

TEST(ApiRouterTest, ReadyzFollowsSetReady) {
  ApiRouter router = MakeRouter();
  router.SetReady(false);
  EXPECT_EQ(router.Route(Get("/readyz")).status, 503);
  router.SetReady(true);
  EXPECT_EQ(router.Route(Get("/readyz")).status, 200);
}

TEST(ApiRouterTest, UnknownPathIs404InOpenAiErrorShape) {
  http::Response r = MakeRouter().Route(Get("/v1/nothing?x=1", "POST"));
  ASSERT_EQ(r.status, 404);
  EXPECT_EQ(r.headers.Get("content-type"), "application/json");
  EXPECT_EQ(r.body, R"j({"error":{"message":"Invalid URL (POST /v1/nothing)",)j"
                    R"j("type":"invalid_request_error","param":null,"code":null}})j");
}

TEST(ApiRouterTest, WrongMethodOnKnownPathIs405WithAllow) {
  http::Response r = MakeRouter().Route(Get("/v1/models", "DELETE"));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.Get("allow"), "GET");
  EXPECT_EQ(boost::json::parse(r.body).at("error").at("type"), "invalid_request_error");
}

}  // namespace
}  // namespace sluice::api
