#include "api/health.h"

#include <gtest/gtest.h>

namespace sluice::api {
namespace {

TEST(HealthTest, HealthzIsOkJson) {
  http::Response r = HealthzResponse();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"ok"})");
  EXPECT_EQ(r.headers.Get("content-type"), "application/json");
}

TEST(HealthTest, ReadyzIs503WhenNotReady) {
  EXPECT_EQ(ReadyzResponse(true).status, 200);
  EXPECT_EQ(ReadyzResponse(true).body, R"({"status":"ready"})");
  EXPECT_EQ(ReadyzResponse(false).status, 503);
  EXPECT_EQ(ReadyzResponse(false).body, R"({"status":"not_ready"})");
  http::Response full = NotReadyResponse("cannot write its \"store\"");
  EXPECT_EQ(full.status, 503);
  EXPECT_EQ(full.body, R"({"status":"not_ready","reason":"cannot write its \"store\""})");
}

}  // namespace
}  // namespace sluice::api
