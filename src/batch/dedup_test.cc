#include "batch/dedup.h"

#include <gtest/gtest.h>

#include <string>

namespace sluice::batch {
namespace {

constexpr auto kChat = Endpoint::kChatCompletions;
constexpr auto kEmbeddings = Endpoint::kEmbeddings;

TEST(DedupTest, ModesParseByName) {
  EXPECT_EQ(ParseDedupMode("off"), DedupMode::kOff);
  EXPECT_EQ(ParseDedupMode("auto"), DedupMode::kAuto);
  EXPECT_EQ(ParseDedupMode("always"), DedupMode::kAlways);
  EXPECT_FALSE(ParseDedupMode("yes"));
  EXPECT_EQ(DedupModeName(DedupMode::kAlways), "always");
}

TEST(DedupTest, AutoSharesOnlyAnswersThatAreTheSameAnyway) {
  EXPECT_TRUE(DedupEligible(DedupMode::kAuto, kEmbeddings, R"({"input":"x"})"));
  EXPECT_TRUE(DedupEligible(DedupMode::kAuto, kChat, R"({"temperature":0,"messages":[]})"));
  EXPECT_TRUE(DedupEligible(DedupMode::kAuto, kChat, R"({"temperature":0.0})"));
  EXPECT_FALSE(DedupEligible(DedupMode::kAuto, kChat, R"({"temperature":0.7})"));
  EXPECT_FALSE(DedupEligible(DedupMode::kAuto, kChat, R"({"messages":[]})"));  // 1 by default
  EXPECT_TRUE(DedupEligible(DedupMode::kAlways, kChat, R"({"messages":[]})"));
  EXPECT_FALSE(DedupEligible(DedupMode::kOff, kEmbeddings, R"({"input":"x"})"));
}

TEST(DedupTest, KeysIgnoreSpellingButNotEndpointOrModel) {
  auto a = DedupKeyOf(kChat, "m", R"({"a":1,"b":[true]})");
  auto b = DedupKeyOf(kChat, "m", R"({ "b" : [true], "a" : 1.0 })");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *DedupKeyOf(kChat, "other", R"({"a":1,"b":[true]})"));
  EXPECT_NE(*a, *DedupKeyOf(kEmbeddings, "m", R"({"a":1,"b":[true]})"));
  EXPECT_NE(*a, *DedupKeyOf(kChat, "m", R"({"a":2,"b":[true]})"));
  EXPECT_FALSE(DedupKeyOf(kChat, "m", "not json"));
}

TEST(DedupTest, FinderPointsEveryDuplicateAtTheFirstLine) {
  DuplicateFinder finder(DedupMode::kAuto);
  std::string x = R"({"model":"e","input":"x"})";
  std::string y = R"({"model":"e","input":"y"})";
  EXPECT_EQ(finder.Check(0, kEmbeddings, "e", x), std::nullopt);
  EXPECT_EQ(finder.Check(1, kEmbeddings, "e", y), std::nullopt);
  EXPECT_EQ(finder.Check(2, kEmbeddings, "e", R"({"input":"x","model":"e"})"), 0);
  EXPECT_EQ(finder.Check(3, kEmbeddings, "e", y), 1);
  EXPECT_EQ(finder.Check(4, kEmbeddings, "e", x), 0);
  // A sampled chat line is never shared under auto.
  std::string sampled = R"({"model":"c","messages":[]})";
  EXPECT_EQ(finder.Check(5, kChat, "c", sampled), std::nullopt);
  EXPECT_EQ(finder.Check(6, kChat, "c", sampled), std::nullopt);
}

TEST(DedupTest, OneRequestIsSharedByABoundedNumberOfLines) {
  DuplicateFinder finder(DedupMode::kAlways);
  std::string body = R"({"input":"x"})";
  EXPECT_EQ(finder.Check(0, kEmbeddings, "e", body), std::nullopt);
  for (std::int64_t i = 1; i <= kMaxDuplicatesPerRequest; ++i) {
    ASSERT_EQ(finder.Check(i, kEmbeddings, "e", body), 0);
  }
  std::int64_t next = kMaxDuplicatesPerRequest + 1;
  EXPECT_EQ(finder.Check(next, kEmbeddings, "e", body), std::nullopt);  // sent again
  EXPECT_EQ(finder.Check(next + 1, kEmbeddings, "e", body), next);
}

}  // namespace
}  // namespace sluice::batch
