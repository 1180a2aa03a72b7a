#include "tokens/pre_tokenizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tokens/encoding.h"

namespace sluice::tokens {
namespace {

std::vector<std::string> Pieces(Encoding encoding, std::string_view text, bool* ok = nullptr) {
  PreTokenizer pre = PreTokenizer::Create(SpecOf(encoding).pattern).value();
  std::vector<std::string> pieces;
  bool matched = pre.ForEachPiece(text, [&](std::string_view p) { pieces.emplace_back(p); });
  if (ok != nullptr) *ok = matched;
  return pieces;
}

TEST(PreTokenizerTest, SplitsWordsNumbersPunctuationAndSpace) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Pieces(Encoding::kO200kBase, "Hello, world! 1234567"),
            (V{"Hello", ",", " world", "!", " ", "123", "456", "7"}));
  EXPECT_EQ(Pieces(Encoding::kCl100kBase, "don't  stop\n\n"),
            (V{"don", "'t", " ", " stop", "\n\n"}));
  EXPECT_EQ(Pieces(Encoding::kO200kBase, "don't"), (V{"don't"}));
  // cl100k's `\s++$`: trailing white space is one piece at the very end only.
  EXPECT_EQ(Pieces(Encoding::kCl100kBase, "a \n"), (V{"a", " \n"}));
}

TEST(PreTokenizerTest, InvalidUtf8BecomesPiecesOfItsOwn) {
  std::string text = "ab\xFF\xFE cd";
  std::vector<std::string> pieces = Pieces(Encoding::kO200kBase, text);
  std::string joined;
  for (const std::string& p : pieces) joined += p;
  EXPECT_EQ(joined, text);
  EXPECT_EQ(pieces.front(), "ab");
  EXPECT_EQ(pieces.back(), " cd");
}

TEST(PreTokenizerTest, MegabytePiecesDoNotExhaustTheMatcher) {
  for (Encoding encoding : kEncodings) {
    for (std::string text : {std::string(1 << 20, ' '), std::string(1 << 20, 'a'),
                             std::string(1 << 20, '!'), std::string(1 << 20, '\n')}) {
      bool ok = false;
      std::vector<std::string> pieces = Pieces(encoding, text, &ok);
      EXPECT_TRUE(ok) << SpecOf(encoding).name << " on 1 MiB of '" << text[0] << "'";
      std::size_t total = 0;
      for (const std::string& p : pieces) total += p.size();
      EXPECT_EQ(total, text.size());
    }
    std::string cjk;
    while (cjk.size() < (1 << 20)) cjk += "\xE6\xBC\xA2";  // 漢
    bool ok = false;
    EXPECT_EQ(Pieces(encoding, cjk, &ok).size(), 1u);
    EXPECT_TRUE(ok);
  }
}

}  // namespace
}  // namespace sluice::tokens
