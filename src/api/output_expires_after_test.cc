#include "api/output_expires_after.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace sluice::api {
namespace {

using Parsed = std::variant<std::optional<std::chrono::seconds>, http::Response>;

Parsed Parse(std::string_view body) {
  return ParseOutputExpiresAfter(boost::json::parse(body).as_object());
}

TEST(OutputExpiresAfterTest, AbsentOrNullIsNoneAndAValidOneIsItsSeconds) {
  EXPECT_EQ(std::get<0>(Parse("{}")), std::nullopt);
  EXPECT_EQ(std::get<0>(Parse(R"({"output_expires_after":null})")), std::nullopt);
  EXPECT_EQ(
      std::get<0>(Parse(R"({"output_expires_after":{"anchor":"created_at","seconds":3600}})")),
      std::chrono::seconds(3600));
}

TEST(OutputExpiresAfterTest, ANumberPastInt64IsAboveTheMaximum) {
  Parsed parsed =
      Parse(R"({"output_expires_after":{"anchor":"created_at","seconds":18446744073709551615}})");
  ASSERT_EQ(parsed.index(), 1u);
  auto error = boost::json::parse(std::get<1>(parsed).body).at("error");
  EXPECT_EQ(error.at("code"), "integer_above_max_value");
  EXPECT_NE(std::string(error.at("message").as_string()).find("18446744073709551615"),
            std::string::npos);
}

TEST(OutputExpiresAfterTest, IsKeptInTheStoredObjectButNotShown) {
  boost::json::object batch{{"id", "batch_1"}};
  EXPECT_EQ(OutputExpiresAfter(batch), std::nullopt);
  SetOutputExpiresAfter(batch, std::chrono::seconds(7200));
  EXPECT_EQ(OutputExpiresAfter(batch), std::chrono::seconds(7200));
  EXPECT_EQ(boost::json::serialize(ClientView(batch)), R"({"id":"batch_1"})");
}

}  // namespace
}  // namespace sluice::api
