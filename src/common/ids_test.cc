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

}  // namespace
}  // namespace sluice
