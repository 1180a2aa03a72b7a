#include "tokens/request_estimate.h"

#include <gtest/gtest.h>

#include "tokens/test_vocabularies.h"

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

// The OpenAI cookbook's example conversation ("How to count tokens with tiktoken"), for which the
// API reported 124 prompt tokens on gpt-4o and 129 on gpt-4.
constexpr std::string_view kCookbookChat = R"({"messages":[
  {"role":"system","content":"You are a helpful, pattern-following assistant that translates corporate jargon into plain English."},
  {"role":"system","name":"example_user","content":"New synergies will help drive top-line growth."},
  {"role":"system","name":"example_assistant","content":"Things working well together will increase revenue."},
  {"role":"system","name":"example_user","content":"Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."},
  {"role":"system","name":"example_assistant","content":"Let's talk later when we're less busy about how to do better."},
  {"role":"user","content":"This late pivot means we don't have time to boil the ocean for the client deliverable."}],)";

RequestEstimate Exact(std::string_view url, const std::string& body) {
  EstimateOptions options;
  options.tokenizers = &testing::TestTokenizers();
  return EstimateRequest(url, body, options).value();
}

TEST(RequestEstimateTest, ChatCountsAsOpenAiDoes) {
  SLUICE_ENCODING_OR_SKIP(o200k, Encoding::kO200kBase);
  SLUICE_ENCODING_OR_SKIP(cl100k, Encoding::kCl100kBase);
  // 3 per message + "user" (1) + "hello world" (2) + 3 priming the reply.
  auto hello = Exact("/v1/chat/completions",
                     R"({"model":"gpt-4o","messages":[{"role":"user","content":"hello world"}]})");
  EXPECT_EQ(hello.prompt_tokens, 9);
  EXPECT_TRUE(hello.exact);
  EXPECT_EQ(hello.max_output_tokens, 16);
  EXPECT_EQ(Exact("/v1/chat/completions", std::string(kCookbookChat) + R"("model":"gpt-4o"})")
                .prompt_tokens,
            124);
  EXPECT_EQ(Exact("/v1/chat/completions",
                  std::string(kCookbookChat) + R"("model":"gpt-4-0613","n":2,"max_tokens":5})"),
            (RequestEstimate{.prompt_tokens = 129, .max_output_tokens = 10, .exact = true}));
}

TEST(RequestEstimateTest, ChatContentPartsImagesAndToolCalls) {
  SLUICE_ENCODING_OR_SKIP(o200k, Encoding::kO200kBase);
  auto parts = Exact("/v1/chat/completions", R"({"model":"gpt-4o-mini","messages":[
      {"role":"user","content":[{"type":"text","text":"hello world"},
       {"type":"image_url","image_url":{"url":"https://x/y.png","detail":"low"}},
       {"type":"image_url","image_url":{"url":"https://x/z.png"}}]}]})");
  EXPECT_EQ(parts.prompt_tokens, 3 + 1 + 2 + 85 + 765 + 3);
  auto call = Exact("/v1/chat/completions", R"({"model":"gpt-4o","messages":[
      {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function",
       "function":{"name":"hello","arguments":"world"}}]}]})");
  EXPECT_EQ(call.prompt_tokens, 3 + 1 + 1 + 1 + 3 + 3);  // "assistant", "hello", "world"
}

TEST(RequestEstimateTest, ToolDefinitionsCountAsTheirJson) {
  SLUICE_ENCODING_OR_SKIP(o200k, Encoding::kO200kBase);
  std::string tool = R"({"type":"function","function":{"name":"get_weather","parameters":{}}})";
  std::string without = R"({"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]})";
  std::string with =
      R"({"model":"gpt-4o","tools":[)" + tool + R"(],"messages":[{"role":"user","content":"hi"}]})";
  EXPECT_EQ(Exact("/v1/chat/completions", with).prompt_tokens -
                Exact("/v1/chat/completions", without).prompt_tokens,
            9 + o200k->Count(tool));
}

TEST(RequestEstimateTest, CompletionsAndEmbeddingsCountTheirText) {
  SLUICE_ENCODING_OR_SKIP(cl100k, Encoding::kCl100kBase);
  EXPECT_EQ(Exact("/v1/embeddings",
                  R"({"model":"text-embedding-3-small","input":["hello world","hello world"]})"),
            (RequestEstimate{.prompt_tokens = 4, .max_output_tokens = 0, .exact = true}));
  EXPECT_EQ(Exact("/v1/embeddings", R"({"model":"text-embedding-ada-002","input":[[1,2,3],[4]]})")
                .prompt_tokens,
            4);
  EXPECT_EQ(
      Exact("/v1/completions", R"({"model":"gpt-3.5-turbo-instruct","prompt":"hello world"})"),
      (RequestEstimate{.prompt_tokens = 2, .max_output_tokens = 16, .exact = true}));
}

TEST(RequestEstimateTest, UnknownModelsUseTheHeuristic) {
  auto e = Exact("/v1/chat/completions",
                 R"({"model":"claude-x","messages":[{"role":"user","content":"hello"}]})");
  EXPECT_EQ(e.prompt_tokens, 2);  // ceil(5 / 4), no framing
  EXPECT_FALSE(e.exact);
}

TEST(RequestEstimateTest, AnAliasIsCountedWithItsDeploymentsModel) {
  SLUICE_ENCODING_OR_SKIP(o200k, Encoding::kO200kBase);
  EstimateOptions options;
  options.tokenizers = &testing::TestTokenizers();
  std::string body = R"({"model":"fast","messages":[{"role":"user","content":"hello world"}]})";
  EXPECT_FALSE(EstimateRequest("/v1/chat/completions", body, options)->exact);
  options.counted_as = std::make_shared<const std::map<std::string, std::string, std::less<>>>(
      std::map<std::string, std::string, std::less<>>{{"fast", "gpt-4o-mini"}});
  auto e = EstimateRequest("/v1/chat/completions", body, options);
  EXPECT_TRUE(e->exact);
  EXPECT_EQ(e->prompt_tokens, 9);  // as gpt-4o counts it, o200k_base
}

TEST(RequestEstimateTest, RejectsNonObjects) {
  EXPECT_EQ(EstimateRequest("/v1/embeddings", "[1]", {}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(EstimateRequest("/v1/embeddings", "{", {}).ok());
}

}  // namespace
}  // namespace sluice::tokens
