#include "batch/prompt_prefix.h"

#include <gtest/gtest.h>

#include <string>

namespace sluice::batch {
namespace {

std::string Chat(char fill, std::size_t system_bytes, const std::string& question,
                 const std::string& model = "m") {
  return R"({"model":")" + model + R"(","messages":[{"role":"system","content":")" +
         std::string(system_bytes, fill) + R"("},{"role":"user","content":")" + question +
         R"("}]})";
}

TEST(PromptPrefixTest, LinesSharingALongPrefixShareAKey) {
  auto a = PromptPrefixKey(Chat('a', 8000, "first question"));
  auto b = PromptPrefixKey(Chat('a', 8000, "second question"));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *PromptPrefixKey(Chat('b', 8000, "first question")));
  EXPECT_NE(*a, *PromptPrefixKey(Chat('a', 8000, "first question", "other")));
}

TEST(PromptPrefixTest, ShortPromptsAndOtherBodiesHaveNoKey) {
  EXPECT_FALSE(PromptPrefixKey(Chat('a', 100, "q")));
  EXPECT_FALSE(PromptPrefixKey(R"({"model":"e","input":"x"})"));
  EXPECT_FALSE(PromptPrefixKey("not json"));
}

TEST(PromptPrefixTest, GroupsFollowTheirFirstMemberAndTheRestKeepTheirPlace) {
  std::vector<std::optional<std::uint64_t>> keys = {1, std::nullopt, 2, 1, 3, 2, std::nullopt, 1};
  EXPECT_EQ(GroupByPrefix(keys), (std::vector<std::size_t>{0, 3, 7, 1, 2, 5, 4, 6}));
  EXPECT_TRUE(GroupByPrefix({}).empty());
}

}  // namespace
}  // namespace sluice::batch
