#include "common/ids.h"

#include <gtest/gtest.h>

#include <set>

namespace sluice {
namespace {

TEST(NewIdTest, PrefixAndTwentyFourAlphanumerics) {
  std::string id = NewId("file-");
  ASSERT_EQ(id.size(), 5u + 24u);
  EXPECT_EQ(id.substr(0, 5), "file-");
  for (char c : id.substr(5)) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << id;
}

TEST(NewIdTest, DoesNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) EXPECT_TRUE(seen.insert(NewId("batch_")).second);
}

TEST(NewHexIdTest, LowercaseHexOfTheLengthAsked) {
  for (std::size_t digits : {16u, 32u}) {
    std::string id = NewHexId(digits);
    ASSERT_EQ(id.size(), digits);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  }
}

TEST(NewHexIdTest, NeverAllZeroEvenWhenShort) {
  // One digit is zero one time in sixteen: 1,000 draws would show a zero that slipped through.
  for (int i = 0; i < 1000; ++i) EXPECT_NE(NewHexId(1), "0");
}

}  // namespace
}  // namespace sluice
