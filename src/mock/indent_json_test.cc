#include "mock/indent_json.h"

#include <gtest/gtest.h>

namespace sluice::mock {
namespace {

TEST(IndentJsonTest, LaysOutAsJsonStringifyWithTwoSpaces) {
  EXPECT_EQ(IndentJson(R"({"id":"x","choices":[{"index":0,"delta":{},"tags":[]}],"n":[1,2.5]})"),
            "{\n"
            "  \"id\": \"x\",\n"
            "  \"choices\": [\n"
            "    {\n"
            "      \"index\": 0,\n"
            "      \"delta\": {},\n"
            "      \"tags\": []\n"
            "    }\n"
            "  ],\n"
            "  \"n\": [\n"
            "    1,\n"
            "    2.5\n"
            "  ]\n"
            "}");
}

TEST(IndentJsonTest, LeavesStringsAlone) {
  EXPECT_EQ(IndentJson(R"({"s":"a,b:{c}[d] \"e\\\",f\n"})"),
            "{\n  \"s\": \"a,b:{c}[d] \\\"e\\\\\\\",f\\n\"\n}");
}

TEST(IndentJsonTest, ReplacesExistingWhitespace) {
  EXPECT_EQ(IndentJson("{ \"a\" :\n [ ] ,\t\"b\": { } }"), "{\n  \"a\": [],\n  \"b\": {}\n}");
}

TEST(IndentJsonTest, ScalarsPassThrough) {
  EXPECT_EQ(IndentJson("true"), "true");
  EXPECT_EQ(IndentJson("\"x\""), "\"x\"");
}

}  // namespace
}  // namespace sluice::mock
