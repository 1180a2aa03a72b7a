#include "common/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace sluice {
namespace {

Result<int> Parse(const std::string& s) {
  if (s.empty()) return InvalidArgumentError("empty");
  return static_cast<int>(s.size());
}

Result<int> Doubled(const std::string& s) {
  SLUICE_ASSIGN_OR_RETURN(int n, Parse(s));
  return n * 2;
}

Status Check(const std::string& s) {
  SLUICE_RETURN_IF_ERROR(Parse(s).status());
  return OkStatus();
}

TEST(ResultTest, DefaultConstructedIsAnError) {
  Result<int> r;
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnknown);
}

TEST(ResultTest, HoldsValue) {
  Result<std::string> r = std::string("abc");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "abc");
  EXPECT_EQ(r->size(), 3u);
  EXPECT_TRUE(r.status().ok());
}

TEST(ResultTest, OkStatusAsErrorBecomesInternal) {
  Result<int> r = OkStatus();
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

TEST(ResultTest, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 7);
}

TEST(ResultTest, AssignOrReturnPropagates) {
  EXPECT_EQ(*Doubled("abc"), 6);
  EXPECT_EQ(Doubled("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Check("x").ok());
  EXPECT_EQ(Check("").code(), StatusCode::kInvalidArgument);
}

TEST(ResultTest, ValueOrFallsBack) {
  EXPECT_EQ(Parse("").value_or(-1), -1);
  EXPECT_EQ(Parse("ab").value_or(-1), 2);
}

}  // namespace
}  // namespace sluice
