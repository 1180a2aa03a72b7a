#include "tokens/byte_pair_merge.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace sluice::tokens {
namespace {

std::string Base64(std::string_view bytes) {
  constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    auto v = (static_cast<unsigned char>(bytes[i]) << 16) |
             (static_cast<unsigned char>(bytes[i + 1]) << 8) |
             static_cast<unsigned char>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(v >> shift) & 63];
  }
  if (bytes.size() - i == 1) {
    auto v = static_cast<unsigned char>(bytes[i]) << 16;
    out += std::string{kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63]} + "==";
  } else if (bytes.size() - i == 2) {
    auto v = (static_cast<unsigned char>(bytes[i]) << 16) |
             (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += std::string{kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63],
                       kAlphabet[(v >> 6) & 63]} +
           "=";
  }
  return out;
}

// Every byte, then `merges` in rank order.
RankTable Vocabulary(const std::vector<std::string>& merges) {
  std::string text;
  Rank rank = 0;
  for (int b = 0; b < 256; ++b)
    text += Base64(std::string(1, static_cast<char>(b))) + " " + std::to_string(rank++) + "\n";
  for (const std::string& m : merges) text += Base64(m) + " " + std::to_string(rank++) + "\n";
  return RankTable::Parse(text).value();
}

std::vector<std::string> Tokens(std::string_view piece, std::span<const std::uint32_t> bounds) {
  std::vector<std::string> tokens;
  for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
    tokens.emplace_back(piece.substr(bounds[i], bounds[i + 1] - bounds[i]));
  }
  return tokens;
}

TEST(BytePairMergeTest, JoinsTheLowestRankedPairFirst) {
  RankTable ranks = Vocabulary({"bc", "ab"});
  BytePairMerger merger;
  // "bc" ranks before "ab", so a|bc, and "a" + "bc" is no token.
  EXPECT_EQ(Tokens("abc", merger.MergeByScan("abc", ranks)), (std::vector<std::string>{"a", "bc"}));
  EXPECT_EQ(Tokens("abc", merger.MergeByHeap("abc", ranks)), (std::vector<std::string>{"a", "bc"}));
}

TEST(BytePairMergeTest, TiesGoToTheLeftmostPair) {
  RankTable ranks = Vocabulary({"aa"});
  BytePairMerger merger;
  EXPECT_EQ(Tokens("aaa", merger.MergeByScan("aaa", ranks)), (std::vector<std::string>{"aa", "a"}));
  EXPECT_EQ(Tokens("aaa", merger.MergeByHeap("aaa", ranks)), (std::vector<std::string>{"aa", "a"}));
}

TEST(BytePairMergeTest, ScanAndHeapAgreeOnRandomPieces) {
  RankTable ranks = Vocabulary({"ab", "ba", "aa", "bb", "abab", "aab", "bba", "aaaa", "abba", "ca",
                                "cab", "abc", "bcab", "aabb", "cc", "ccc", "abcabc"});
  BytePairMerger merger;
  std::mt19937 random(7);
  for (int round = 0; round < 500; ++round) {
    std::string piece(2 + random() % 300, 'a');
    for (char& c : piece) c = "abc"[random() % 3];
    auto scan = Tokens(piece, merger.MergeByScan(piece, ranks));
    auto heap = Tokens(piece, merger.MergeByHeap(piece, ranks));
    ASSERT_EQ(scan, heap) << piece;
  }
}

TEST(BytePairMergeTest, AMegabyteWithoutMergesStaysLinear) {
  RankTable ranks = Vocabulary({"ab"});
  BytePairMerger merger;
  std::string piece(1 << 20, 'z');
  EXPECT_EQ(merger.Merge(piece, ranks).size(), piece.size() + 1);
  merger.Trim();
}

}  // namespace
}  // namespace sluice::tokens
