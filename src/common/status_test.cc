#include "common/status.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  Status s = NotFoundError("no such file");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.ToString(), "NOT_FOUND: no such file");
}

TEST(StatusTest, WithContextPrefixesMessageAndKeepsOk) {
  EXPECT_EQ(UnavailableError("reset").WithContext("POST /v1/x").message(), "POST /v1/x: reset");
  EXPECT_TRUE(OkStatus().WithContext("x").ok());
}

}  // namespace
}  // namespace sluice
