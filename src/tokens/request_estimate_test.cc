#include "tokens/request_estimate.h"

#include <gtest/gtest.h>

namespace sluice::tokens {
namespace {

RequestEstimate Estimate(std::string_view url, std::string_view body) {
  return EstimateRequest(url, body, {}).value();
}

TEST(RequestEstimateTest, ChatCountsMessageTextAndOutputCapTimesN) {
  auto e = Estimate("/v1/chat/completions",
                    R"({"model":"m","messages":[{"role":"system","content":"12345678"},)"
                    R"({"role":"user","content":[{"type":"text","text":"abcd"}]}],)"
                    R"("max_completion_tokens":50,"max_tokens":10,"n":2})");
  EXPECT_EQ(e.prompt_tokens, 3);  // 12 characters / 4
  EXPECT_EQ(e.max_output_tokens, 100);
  EXPECT_EQ(e.total(), 103);
}

TEST(RequestEstimateTest, DefaultsAndRounding) {
  auto e = Estimate("/v1/chat/completions",
                    R"({"model":"m","messages":[{"role":"user","content":"hello"}]})");
  EXPECT_EQ(e.prompt_tokens, 2);  // ceil(5 / 4)
  EXPECT_EQ(e.max_output_tokens, 16);
}

TEST(RequestEstimateTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(CountCharacters("h\xC3\xA9llo"), 5);      // é is 2 bytes
  EXPECT_EQ(CountCharacters("\xF0\x9F\x98\x80"), 1);  // one emoji
}

TEST(RequestEstimateTest, EmbeddingsChargeInputOnlyAndTokenIdsCountOne) {
  auto e = Estimate("/v1/embeddings", R"({"model":"e","input":["abcd","efgh"]})");
  EXPECT_EQ(e.prompt_tokens, 2);
  EXPECT_EQ(e.max_output_tokens, 0);
  EXPECT_EQ(Estimate("/v1/embeddings", R"({"model":"e","input":[1,2,3]})").prompt_tokens, 3);
}

TEST(RequestEstimateTest, CompletionsUsePrompt) {
  auto e = Estimate("/v1/completions", R"({"model":"m","prompt":"abcdefgh","max_tokens":7})");
  EXPECT_EQ(e.prompt_tokens, 2);
  EXPECT_EQ(e.max_output_tokens, 7);
}

TEST(RequestEstimateTest, RejectsNonObjects) {
  EXPECT_EQ(EstimateRequest("/v1/embeddings", "[1]", {}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(EstimateRequest("/v1/embeddings", "{", {}).ok());
}

}  // namespace
}  // namespace sluice::tokens
