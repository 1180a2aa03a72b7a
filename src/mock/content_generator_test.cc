#include "mock/content_generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "mock/body_hash.h"

namespace sluice::mock {
namespace {

TEST(BodyHashTest, IsFnv1a64) {
  EXPECT_EQ(BodyHash(""), 0xcbf29ce484222325u);
  EXPECT_EQ(BodyHash("a"), 0xaf63dc4c8601ec8cu);
  EXPECT_EQ(HashHex(0xaf63dc4c8601ec8cu), "af63dc4c8601ec8c");
  EXPECT_EQ(HashHex(1), "0000000000000001");
}

TEST(ContentGeneratorTest, StartsWithTheRequestMarkerAndEchoesTheUserText) {
  GeneratedText g = GenerateText({42, 0xabc, 0, "What is the capital of France?", std::nullopt});
  EXPECT_EQ(g.text.rfind("mock:0000000000000abc What is the capital of France?", 0), 0u) << g.text;
  EXPECT_FALSE(g.truncated);
}

TEST(ContentGeneratorTest, IsDeterministicInSeedAndBody) {
  GenerationInput in{42, 0x1234, 0, "hello", std::nullopt};
  EXPECT_EQ(GenerateText(in).text, GenerateText(in).text);
  // Across many bodies and seeds, the filler length varies.
  std::set<std::int64_t> lengths;
  for (std::uint64_t body = 0; body < 50; ++body) {
    lengths.insert(GenerateText({42, body, 0, "", std::nullopt}).tokens);
  }
  EXPECT_GT(lengths.size(), 5u);
  GenerationInput other_seed = in;
  other_seed.seed = 43;
  GenerationInput other_choice = in;
  other_choice.choice = 1;
  int differing = 0;
  for (std::uint64_t body = 0; body < 20; ++body) {
    in.body_hash = other_seed.body_hash = other_choice.body_hash = body;
    differing += GenerateText(in).text != GenerateText(other_seed).text;
    differing += GenerateText(in).text != GenerateText(other_choice).text;
  }
  EXPECT_GT(differing, 30);
}

TEST(ContentGeneratorTest, TokenCountIsMarkerPlusWords) {
  GeneratedText g = GenerateText({42, 7, 0, "one two  three", std::nullopt});
  std::int64_t spaces = std::count(g.text.begin(), g.text.end(), ' ');
  EXPECT_EQ(g.tokens, spaces + 1);
  EXPECT_GE(g.tokens, 4);
}

TEST(ContentGeneratorTest, MaxTokensBoundsTheAnswer) {
  for (std::int64_t cap : {1, 2, 3, 5}) {
    GeneratedText g = GenerateText({42, 7, 0, "a b c d e f g h", cap});
    EXPECT_EQ(g.tokens, cap);
    EXPECT_TRUE(g.truncated);
    EXPECT_EQ(g.text.rfind(Marker(7), 0), 0u);
  }
  GeneratedText roomy = GenerateText({42, 7, 0, "a", 1000});
  EXPECT_FALSE(roomy.truncated);
}

TEST(ContentGeneratorTest, EmbeddingsAreUnitLengthAndSeeded) {
  std::vector<float> a = GenerateEmbedding(42, 1, 64);
  ASSERT_EQ(a.size(), 64u);
  double norm = 0;
  for (float x : a) norm += static_cast<double>(x) * x;
  EXPECT_NEAR(norm, 1.0, 1e-5);
  EXPECT_EQ(a, GenerateEmbedding(42, 1, 64));
  EXPECT_NE(a, GenerateEmbedding(42, 2, 64));
  EXPECT_NE(a, GenerateEmbedding(43, 1, 64));
}

TEST(ContentGeneratorTest, Base64IsLittleEndianFloat32) {
  EXPECT_EQ(EmbeddingBase64({1.0f}), "AACAPw==");  // 0x3f800000
  EXPECT_EQ(EmbeddingBase64({1.0f, -2.0f}), "AACAPwAAAMA=");
  EXPECT_EQ(EmbeddingBase64({}), "");
}

}  // namespace
}  // namespace sluice::mock
