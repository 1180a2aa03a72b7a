#include "tokens/tokenizers.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "tokens/test_vocabularies.h"

namespace sluice::tokens {
namespace {

namespace fs = std::filesystem;

fs::path TempDir() {
  std::string dir = fs::temp_directory_path() / "sluice-tokenizers-XXXXXX";
  return mkdtemp(dir.data());
}

TEST(TokenizersTest, WithoutVocabulariesEveryEncodingIsUnavailable) {
  auto tokenizers = Tokenizers::Open({TempDir() / "absent", TempDir()});
  EXPECT_EQ(tokenizers->Find(Encoding::kO200kBase), nullptr);
  EXPECT_EQ(tokenizers->Find(Encoding::kCl100kBase), nullptr);
  EXPECT_EQ(tokenizers->ForModel("gpt-4o"), nullptr);
}

TEST(TokenizersTest, AFileWithTheWrongChecksumIsRefused) {
  fs::path dir = TempDir();
  std::ofstream(dir / "o200k_base.tiktoken") << "IQ== 0\n";
  EXPECT_EQ(Tokenizers::LoadEncoding(Encoding::kO200kBase, dir).status().code(),
            StatusCode::kDataLoss);
  EXPECT_EQ(Tokenizers::LoadEncoding(Encoding::kCl100kBase, dir).status().code(),
            StatusCode::kNotFound);
  auto tokenizers = Tokenizers::Open({dir});
  EXPECT_EQ(tokenizers->Find(Encoding::kO200kBase), nullptr);
}

TEST(TokenizersTest, FindsTheEncodingOfAModel) {
  SLUICE_ENCODING_OR_SKIP(o200k, Encoding::kO200kBase);
  SLUICE_ENCODING_OR_SKIP(cl100k, Encoding::kCl100kBase);
  const Tokenizers& tokenizers = testing::TestTokenizers();
  EXPECT_EQ(tokenizers.ForModel("openai/gpt-4o-mini"), o200k);
  EXPECT_EQ(tokenizers.ForModel("gpt-3.5-turbo"), cl100k);
  EXPECT_EQ(tokenizers.ForModel("claude-3-haiku"), nullptr);
  EXPECT_EQ(tokenizers.ForModel("claude-3-haiku"), nullptr);  // warned once only
}

TEST(TokenizersTest, TheEnvironmentVariableNamesTheOnlyDirectory) {
  ::setenv("SLUICE_TOKENIZER_DIR", "/somewhere/tokenizers", 1);
  EXPECT_EQ(Tokenizers::DefaultDirectories(), std::vector<fs::path>{"/somewhere/tokenizers"});
  ::unsetenv("SLUICE_TOKENIZER_DIR");
  std::vector<fs::path> dirs = Tokenizers::DefaultDirectories();
  ASSERT_EQ(dirs.size(), 2u);
  EXPECT_TRUE(dirs[0].string().ends_with("share/sluice/tokenizers")) << dirs[0];
  EXPECT_TRUE(dirs[1].string().ends_with("data/tokenizers")) << dirs[1];
  // This test binary sits at build/<preset>/src/tokens/, as deep as apps/sluice/sluice.
  EXPECT_TRUE(fs::equivalent(dirs[1].parent_path(), fs::path(SLUICE_VOCABULARY_DIR).parent_path()))
      << dirs[1];
}

}  // namespace
}  // namespace sluice::tokens
