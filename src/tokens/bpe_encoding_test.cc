#include "tokens/bpe_encoding.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tokens/test_vocabularies.h"

namespace sluice::tokens {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

TEST(BpeEncodingTest, HelloWorld) {
  SLUICE_ENCODING_OR_SKIP(o200k, Encoding::kO200kBase);
  SLUICE_ENCODING_OR_SKIP(cl100k, Encoding::kCl100kBase);
  EXPECT_THAT(o200k->Encode("hello world"), ElementsAre(24912, 2375));
  EXPECT_THAT(cl100k->Encode("hello world"), ElementsAre(15339, 1917));
  EXPECT_THAT(o200k->Encode("Hello, world! 1234567"),
              ElementsAre(13225, 11, 2375, 0, 220, 7633, 19354, 22));
  EXPECT_EQ(o200k->Count("Hello, world! 1234567"), 8);
}

TEST(BpeEncodingTest, EmptyTextHasNoTokens) {
  SLUICE_ENCODING_OR_SKIP(o200k, Encoding::kO200kBase);
  EXPECT_TRUE(o200k->Encode("").empty());
  EXPECT_EQ(o200k->Count(""), 0);
}

TEST(BpeEncodingTest, SpecialTokenTextIsOrdinaryText) {
  SLUICE_ENCODING_OR_SKIP(o200k, Encoding::kO200kBase);
  std::vector<Rank> ids = o200k->Encode("<|endoftext|>");
  EXPECT_GT(ids.size(), 1u);
  EXPECT_THAT(ids, ::testing::Not(::testing::Contains(199999)));
}

// Where tiktoken and gpt-tokenizer disagree, sluice follows tiktoken (ids from its reference
// build): U+0085 is white space, U+FEFF is not, and "'ſ" is no contraction.
TEST(BpeEncodingTest, FollowsTiktokenOnWhiteSpaceAndCase) {
  SLUICE_ENCODING_OR_SKIP(o200k, Encoding::kO200kBase);
  SLUICE_ENCODING_OR_SKIP(cl100k, Encoding::kCl100kBase);
  EXPECT_THAT(o200k->Encode("a\u0085b  \u0085 x"),
              ElementsAre(64, 126, 227, 65, 256, 126, 227, 1215));
  EXPECT_THAT(cl100k->Encode("a\u0085b  \u0085 x"),
              ElementsAre(64, 126, 227, 65, 256, 126, 227, 865));
  EXPECT_THAT(o200k->Encode("x\uFEFFy \uFEFF z"), ElementsAre(87, 5574, 88, 71280, 579));
  EXPECT_THAT(cl100k->Encode("x\uFEFFy \uFEFF z"), ElementsAre(87, 3305, 88, 76880, 1167));
  EXPECT_THAT(o200k->Encode("don'\u017F it"), ElementsAre(22130, 6, 70067, 480));
}

}  // namespace
}  // namespace sluice::tokens
