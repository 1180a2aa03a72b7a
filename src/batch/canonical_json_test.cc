#include "batch/canonical_json.h"

#include <gtest/gtest.h>

namespace sluice::batch {
namespace {

TEST(CanonicalJsonTest, KeyOrderAndWhitespaceDoNotMatter) {
  auto a = CanonicalJson(R"({"model":"m","input":["x", "y"],"nested":{"b":1,"a":2}})");
  auto b = CanonicalJson(
      " {\n \"nested\" : {\"a\":2 ,\"b\":1}, \"input\":[\"x\",\"y\"],"
      "\"model\":\"m\"}\n");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*a, R"({"input":["x","y"],"model":"m","nested":{"a":2,"b":1}})");
}

TEST(CanonicalJsonTest, OneSpellingPerNumberAndString) {
  EXPECT_EQ(*CanonicalJson(R"([1, 1.0, 1e0, 10E-1, -0.5, 0.1, 18446744073709551615])"),
            "[1,1,1,1,-0.5,0.10000000000000001,18446744073709551615]");
  EXPECT_EQ(*CanonicalJson(R"(["\u0041\/\n", true, false, null])"), R"(["A/\n",true,false,null])");
}

TEST(CanonicalJsonTest, WhatDiffersStillDiffers) {
  EXPECT_NE(*CanonicalJson(R"({"a":[1,2]})"), *CanonicalJson(R"({"a":[2,1]})"));
  EXPECT_NE(*CanonicalJson(R"({"a":"1"})"), *CanonicalJson(R"({"a":1})"));
  EXPECT_NE(*CanonicalJson(R"({"a":0})"), *CanonicalJson(R"({"a":0.5})"));
}

TEST(CanonicalJsonTest, NotJsonIsRefused) {
  EXPECT_FALSE(CanonicalJson("{\"a\":"));
  EXPECT_FALSE(CanonicalJson(""));
  EXPECT_FALSE(CanonicalJson("{} {}"));
}

}  // namespace
}  // namespace sluice::batch
