#include "http/message.h"

#include <gtest/gtest.h>

namespace sluice::http {
namespace {

TEST(HeadersTest, LookupIsCaseInsensitiveAndSetReplaces) {
  Headers h;
  h.Add("Content-Type", "text/plain");
  h.Add("X-A", "1");
  h.Add("x-a", "2");
  EXPECT_EQ(h.Get("content-type"), "text/plain");
  EXPECT_EQ(h.Get("X-A"), "1");
  h.Set("X-a", "3");
  EXPECT_EQ(h.Get("x-a"), "3");
  EXPECT_EQ(h.size(), 2u);
  EXPECT_FALSE(h.Get("missing").has_value());
}

TEST(HeadersTest, GetAllGivesEveryValueOfANameInOrder) {
  Headers h;
  h.Add("Tracestate", "a=1");
  h.Add("x-other", "0");
  h.Add("tracestate", "b=2");
  EXPECT_EQ(h.GetAll("TRACESTATE"), (std::vector<std::string_view>{"a=1", "b=2"}));
  EXPECT_TRUE(h.GetAll("missing").empty());
}

TEST(RequestTest, PathAndQuery) {
  Request r{"GET", "/v1/files?limit=2&order=asc&flag", {}, ""};
  EXPECT_EQ(r.Path(), "/v1/files");
  EXPECT_EQ(r.Query("limit"), "2");
  EXPECT_EQ(r.Query("order"), "asc");
  EXPECT_EQ(r.Query("flag"), "");
  EXPECT_FALSE(r.Query("after").has_value());
}

TEST(RequestTest, DecodedQueryUndoesPercentEscapes) {
  Request r{"GET", "/v1/files?purpose=fine%2Dtune&q=a+b%20c&bad=%zz%4", {}, ""};
  EXPECT_EQ(r.DecodedQuery("purpose"), "fine-tune");
  EXPECT_EQ(r.DecodedQuery("q"), "a b c");
  EXPECT_EQ(r.DecodedQuery("bad"), "%zz%4");
  EXPECT_EQ(PercentDecode("%41%2f"), "A/");
  EXPECT_FALSE(PercentDecode("%4").has_value());
  EXPECT_FALSE(r.DecodedQuery("after").has_value());
}

TEST(ErrorResponseTest, HasOpenAiShapeWithNulls) {
  Response r = ErrorResponse({404, "invalid_request_error", "No such file", std::nullopt, {}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers.Get("content-type"), "application/json");
  EXPECT_EQ(r.body,
            R"({"error":{"message":"No such file","type":"invalid_request_error","param":null,)"
            R"("code":null}})");
}

}  // namespace
}  // namespace sluice::http
