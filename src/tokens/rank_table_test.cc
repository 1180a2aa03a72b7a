#include "tokens/rank_table.h"

#include <gtest/gtest.h>

#include <string>

namespace sluice::tokens {
namespace {

// Lines for all 256 single bytes ("AA==" is byte 0, ...), generated once.
std::string AllBytes() {
  constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string text;
  for (int b = 0; b < 256; ++b) {
    text +=
        std::string{kAlphabet[b >> 2], kAlphabet[(b & 3) << 4]} + "== " + std::to_string(b) + "\n";
  }
  return text;
}

TEST(RankTableTest, FindsTokensAndBytes) {
  // "aGk=" is "hi", "aGVsbG8=" is "hello".
  RankTable table = RankTable::Parse(AllBytes() + "aGk= 256\naGVsbG8= 300\n").value();
  EXPECT_EQ(table.size(), 258u);
  EXPECT_EQ(table.Find("hi"), 256u);
  EXPECT_EQ(table.Find("hello"), 300u);
  EXPECT_EQ(table.Find("hell"), kNoRank);
  EXPECT_EQ(table.Find("h"), static_cast<Rank>('h'));
  EXPECT_EQ(table.ByteRank('h'), static_cast<Rank>('h'));
  EXPECT_EQ(table.ByteRank(0xFF), 255u);
}

TEST(RankTableTest, RejectsMalformedVocabularies) {
  EXPECT_EQ(RankTable::Parse(AllBytes() + "aGk=256\n").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(RankTable::Parse(AllBytes() + "a!k= 256\n").ok());
  EXPECT_FALSE(RankTable::Parse(AllBytes() + "aGk= x\n").ok());
  EXPECT_FALSE(RankTable::Parse(AllBytes() + "aGk= 256\naGk= 257\n").ok());  // duplicate token
  EXPECT_FALSE(RankTable::Parse(AllBytes() + "aGk= 255\n").ok());            // duplicate rank
  EXPECT_FALSE(RankTable::Parse("aGk= 1\n").ok());                           // no single bytes
  auto error = RankTable::Parse(AllBytes() + "oops\n").status();
  EXPECT_NE(error.message().find("line 257"), std::string::npos) << error;
}

}  // namespace
}  // namespace sluice::tokens
