#include "api/routes.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace sluice::api {
namespace {

http::Request Req(std::string method, std::string target) {
  http::Request request;
  request.method = std::move(method);
  request.target = std::move(target);
  return request;
}

Route Matched(std::string method, std::string target) {
  auto match = MatchRoute(Req(std::move(method), std::move(target)));
  EXPECT_TRUE(std::holds_alternative<Route>(match));
  return std::holds_alternative<Route>(match) ? std::get<Route>(match)
                                              : Route{Endpoint::kHealthz, "", "", false};
}

TEST(RoutesTest, MatchesEveryEndpointWithItsId) {
  EXPECT_EQ(Matched("GET", "/healthz").endpoint, Endpoint::kHealthz);
  EXPECT_FALSE(Matched("GET", "/metrics").authenticated);
  EXPECT_EQ(Matched("GET", "/v1/models?limit=5").endpoint, Endpoint::kListModels);
  EXPECT_EQ(Matched("POST", "/v1/chat/completions").endpoint, Endpoint::kChatCompletions);
  EXPECT_EQ(Matched("POST", "/v1/messages").endpoint, Endpoint::kMessages);
  Route content = Matched("GET", "/v1/files/file-abc/content");
  EXPECT_EQ(content.endpoint, Endpoint::kFileContent);
  EXPECT_EQ(content.id, "file-abc");
  EXPECT_EQ(content.name, "/v1/files/{id}/content");
  EXPECT_TRUE(content.authenticated);
  EXPECT_EQ(Matched("DELETE", "/v1/files/file-abc").endpoint, Endpoint::kDeleteFile);
  Route cancel = Matched("POST", "/v1/batches/batch_1/cancel");
  EXPECT_EQ(cancel.endpoint, Endpoint::kCancelBatch);
  EXPECT_EQ(cancel.id, "batch_1");
  EXPECT_EQ(Matched("GET", "/v1/batches?after=batch_1&limit=2").endpoint, Endpoint::kListBatches);
  EXPECT_EQ(Matched("GET", "/ui").endpoint, Endpoint::kUi);
  EXPECT_EQ(Matched("GET", "/ui/").endpoint, Endpoint::kUi);
  EXPECT_EQ(Matched("POST", "/ui/login").endpoint, Endpoint::kUiLogin);
  Route file = Matched("GET", "/ui/app.js");
  EXPECT_EQ(file.endpoint, Endpoint::kUiFile);
  EXPECT_EQ(file.id, "app.js");
  EXPECT_FALSE(file.authenticated);  // the page checks the key itself; its files hold no data
}

TEST(RoutesTest, UnknownPathIs404InOpenAiErrorShape) {
  for (std::string target : {"/v1/nothing?x=1", "/v1/files/a/b", "/v1/files//content"}) {
    auto match = MatchRoute(Req("POST", target));
    ASSERT_TRUE(std::holds_alternative<http::Response>(match)) << target;
    const http::Response& r = std::get<http::Response>(match);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.headers.Get("content-type"), "application/json");
  }
  auto match = MatchRoute(Req("POST", "/v1/nothing?x=1"));
  EXPECT_EQ(std::get<http::Response>(match).body,
            R"j({"error":{"message":"Invalid URL (POST /v1/nothing)",)j"
            R"j("type":"invalid_request_error","param":null,"code":null}})j");
}

TEST(RoutesTest, WrongMethodOnKnownPathIs405WithAllow) {
  auto models = MatchRoute(Req("DELETE", "/v1/models"));
  const http::Response& r = std::get<http::Response>(models);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.Get("allow"), "GET");
  EXPECT_EQ(boost::json::parse(r.body).at("error").at("type"), "invalid_request_error");
  auto file = MatchRoute(Req("PUT", "/v1/files/file-1"));
  EXPECT_EQ(std::get<http::Response>(file).headers.Get("allow"), "GET, DELETE");
  auto files = MatchRoute(Req("DELETE", "/v1/files"));
  EXPECT_EQ(std::get<http::Response>(files).headers.Get("allow"), "POST, GET");
}

}  // namespace
}  // namespace sluice::api
