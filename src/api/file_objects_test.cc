#include "api/file_objects.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace sluice::api {
namespace {

store::FileRecord Record(std::string id) {
  return {.id = std::move(id),
          .tenant = "t",
          .filename = "in.jsonl",
          .purpose = "batch",
          .bytes = 48213,
          .created_at = WallTime(std::chrono::milliseconds(1767225600'900)),
          .status = "processed"};
}

http::Request Get(std::string target) {
  return http::Request{.method = "GET", .target = std::move(target), .headers = {}, .body = ""};
}

TEST(FileObjectsTest, FileObjectHasOpenAiFields) {
  EXPECT_EQ(FileObjectJson(Record("file-9Qx2")),
            R"({"id":"file-9Qx2","object":"file","bytes":48213,"created_at":1767225600,)"
            R"("expires_at":null,"filename":"in.jsonl","purpose":"batch","status":"processed"})");
  store::FileRecord expiring = Record("file-9Qx2");
  expiring.expires_at = expiring.created_at + std::chrono::seconds(3600);
  EXPECT_EQ(boost::json::parse(FileObjectJson(expiring)).at("expires_at"), 1767225600 + 3600);
}

TEST(FileObjectsTest, ListCarriesCursorsAndHasMore) {
  auto list = boost::json::parse(FileListJson({{Record("file-a"), Record("file-b")}, true}));
  EXPECT_EQ(list.at("object"), "list");
  EXPECT_EQ(list.at("data").as_array().size(), 2u);
  EXPECT_EQ(list.at("first_id"), "file-a");
  EXPECT_EQ(list.at("last_id"), "file-b");
  EXPECT_EQ(list.at("has_more"), true);
  EXPECT_EQ(FileListJson({}),
            R"({"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false})");
  EXPECT_EQ(FileDeletedJson("file-a"), R"({"id":"file-a","object":"file","deleted":true})");
}

TEST(FileObjectsTest, NoSuchFileIsOpenAis404) {
  http::Response r = NoSuchFile("file-x");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"error":{"message":"No such File object: file-x",)"
                    R"("type":"invalid_request_error","param":"id","code":null}})");
}

TEST(FileObjectsTest, DiskFullIs507AndOtherStoreFailures500) {
  EXPECT_EQ(StorageFailure(ResourceExhaustedError("disk full")).status, 507);
  EXPECT_EQ(StorageFailure(InternalError("broken")).status, 500);
}

TEST(FileListQueryTest, DefaultsAndEveryParameter) {
  auto defaults = ParseFileListQuery(Get("/v1/files"), "t");
  const auto& query = std::get<store::FileQuery>(defaults);
  EXPECT_EQ(query.tenant, "t");
  EXPECT_EQ(query.limit, 10000u);
  EXPECT_EQ(query.order, store::SortOrder::kDescending);
  EXPECT_FALSE(query.after || query.purpose);

  auto all =
      ParseFileListQuery(Get("/v1/files?limit=2&order=asc&after=file-a&purpose=fine%2Dtune"), "t");
  const auto& given = std::get<store::FileQuery>(all);
  EXPECT_EQ(given.limit, 2u);
  EXPECT_EQ(given.order, store::SortOrder::kAscending);
  EXPECT_EQ(given.after, "file-a");
  EXPECT_EQ(given.purpose, "fine-tune");
}

TEST(FileListQueryTest, BadValuesAre400NamingTheParameter) {
  for (std::string target : {"/v1/files?limit=0", "/v1/files?limit=10001", "/v1/files?limit=x",
                             "/v1/files?limit=", "/v1/files?order=up"}) {
    auto parsed = ParseFileListQuery(Get(target), "t");
    ASSERT_TRUE(std::holds_alternative<http::Response>(parsed)) << target;
    const auto& response = std::get<http::Response>(parsed);
    EXPECT_EQ(response.status, 400) << target;
    std::string param(boost::json::parse(response.body).at("error").at("param").as_string());
    EXPECT_TRUE(target.find(param + "=") != std::string::npos) << target;
  }
}

}  // namespace
}  // namespace sluice::api
