#include "api/models.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace sluice::api {
namespace {

const WallTime kCreated{std::chrono::seconds(1767225600)};

TEST(ModelsTest, ListsEveryModelAsAnOpenAiListObject) {
  http::Response r = ListModelsResponse({"gpt-4o-mini", "claude"}, kCreated);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.Get("content-type"), "application/json");
  boost::json::value body = boost::json::parse(r.body);
  EXPECT_EQ(body.at("object"), "list");
  const boost::json::array& data = body.at("data").as_array();
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[0].at("id"), "gpt-4o-mini");
  EXPECT_EQ(data[0].at("object"), "model");
  EXPECT_EQ(data[0].at("created").as_int64(), 1767225600);
  EXPECT_EQ(data[0].at("owned_by"), "sluice");
  EXPECT_EQ(data[1].at("id"), "claude");
}

TEST(ModelsTest, EmptyListHasEmptyData) {
  http::Response r = ListModelsResponse({}, kCreated);
  EXPECT_EQ(r.body, R"({"object":"list","data":[]})");
}

TEST(ModelsTest, RetrievesAConfiguredModel) {
  http::Response r = RetrieveModelResponse({"a", "b"}, "b", kCreated);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(boost::json::parse(r.body).at("id"), "b");
}

TEST(ModelsTest, UnknownModelIs404ModelNotFound) {
  http::Response r = RetrieveModelResponse({"a"}, "gpt-5", kCreated);
  ASSERT_EQ(r.status, 404);
  boost::json::value error = boost::json::parse(r.body).at("error");
  EXPECT_EQ(error.at("code"), "model_not_found");
  EXPECT_EQ(error.at("type"), "invalid_request_error");
  EXPECT_EQ(error.at("message"), "The model 'gpt-5' does not exist");
}

}  // namespace
}  // namespace sluice::api
