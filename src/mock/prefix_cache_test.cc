#include "mock/prefix_cache.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

namespace sluice::mock {
namespace {

using namespace std::chrono_literals;

// A chat body whose system prompt is `system_tokens` tokens (4 characters each) of `fill`.
boost::json::object Chat(std::size_t system_tokens, char fill, const std::string& user,
                         const std::string& key = "") {
  boost::json::object body{
      {"model", "gpt-4o-mini"},
      {"messages",
       boost::json::array{boost::json::object{{"role", "system"},
                                              {"content", std::string(system_tokens * 4, fill)}},
                          boost::json::object{{"role", "user"}, {"content", user}}}}};
  if (!key.empty()) body["prompt_cache_key"] = key;
  return body;
}

TEST(PrefixCacheTest, PromptsFrom1024TokensHaveABlockPer128Tokens) {
  EXPECT_TRUE(ChatPrefixBlocks(Chat(1000, 'a', "hi")).empty());
  EXPECT_EQ(ChatPrefixBlocks(Chat(1024, 'a', "hi")).size(), 1u);
  EXPECT_EQ(ChatPrefixBlocks(Chat(2000, 'a', "hi")).size(), 8u);  // 1024 + 7 * 128 <= ~2001
  auto a = ChatPrefixBlocks(Chat(2000, 'a', "one question"));
  auto b = ChatPrefixBlocks(Chat(2000, 'a', "another question"));
  EXPECT_EQ(a, b);  // the questions start past the last whole block
  EXPECT_NE(ChatPrefixBlocks(Chat(2000, 'a', "hi", "k1")), ChatPrefixBlocks(Chat(2000, 'a', "hi")));
}

TEST(PrefixCacheTest, TheSecondRequestOfAPrefixHitsItsLongestBlock) {
  PrefixCache cache(5min, 0);
  TimePoint now{};
  auto blocks = ChatPrefixBlocks(Chat(2000, 'a', "q1"));
  EXPECT_EQ(cache.Use(blocks, now), 0);
  EXPECT_EQ(cache.Use(blocks, now + 1s), 1024 + 7 * 128);
  EXPECT_EQ(cache.Use(ChatPrefixBlocks(Chat(2000, 'b', "q1")), now + 2s), 0);  // another prefix
  EXPECT_EQ(cache.Use(blocks, now + 2s + 5min), 0);  // expired since its last use
}

TEST(PrefixCacheTest, TheLeastRecentlyUsedPrefixIsEvictedFirst) {
  PrefixCache cache(5min, 16);  // two prompts of 8 blocks
  TimePoint now{};
  auto a = ChatPrefixBlocks(Chat(2000, 'a', ""));
  auto b = ChatPrefixBlocks(Chat(2000, 'b', ""));
  auto c = ChatPrefixBlocks(Chat(2000, 'c', ""));
  cache.Use(a, now);
  cache.Use(b, now);
  EXPECT_GT(cache.Use(a, now), 0);  // a is now the most recent
  cache.Use(c, now);                // evicts b
  EXPECT_EQ(cache.Use(b, now), 0);
  EXPECT_EQ(cache.Use(b, now), 1024 + 7 * 128);
}

}  // namespace
}  // namespace sluice::mock
