#include "tokens/model_encoding.h"

#include <gtest/gtest.h>

namespace sluice::tokens {
namespace {

constexpr auto kO200k = Encoding::kO200kBase;
constexpr auto kCl100k = Encoding::kCl100kBase;

TEST(ModelEncodingTest, MapsTheOpenAiFamilies) {
  for (const char* model :
       {"gpt-4o", "gpt-4o-mini", "gpt-4o-2024-08-06", "chatgpt-4o-latest", "gpt-4.1",
        "gpt-4.1-nano-2025-04-14", "gpt-4.5-preview", "o1", "o1-mini", "o3-pro",
        "o4-mini-2025-04-16", "gpt-5", "gpt-5-mini", "gpt-5.1", "GPT-4o-Mini"}) {
    EXPECT_EQ(EncodingForModel(model), kO200k) << model;
  }
  for (const char* model :
       {"gpt-4", "gpt-4-0613", "gpt-4-turbo-2024-04-09", "gpt-4-32k", "gpt-3.5-turbo",
        "gpt-3.5-turbo-instruct", "gpt-35-turbo", "text-embedding-3-small",
        "text-embedding-3-large", "text-embedding-ada-002"}) {
    EXPECT_EQ(EncodingForModel(model), kCl100k) << model;
  }
}

TEST(ModelEncodingTest, IgnoresProviderPrefixesAndFineTunes) {
  EXPECT_EQ(EncodingForModel("openai/gpt-4o-mini"), kO200k);
  EXPECT_EQ(EncodingForModel("azure/eu/gpt-4-turbo"), kCl100k);
  EXPECT_EQ(EncodingForModel("ft:gpt-4o-mini-2024-07-18:org:custom:abc123"), kO200k);
}

TEST(ModelEncodingTest, UnknownModelsHaveNone) {
  for (const char* model : {"claude-3-5-sonnet", "llama-3-70b", "o10", "gpt-4omni-x", "gpt-40",
                            "mistral/o1x", "", "m", "text-embedding-ada-003", "davinci-002"}) {
    EXPECT_EQ(EncodingForModel(model), std::nullopt) << model;
  }
}

}  // namespace
}  // namespace sluice::tokens
