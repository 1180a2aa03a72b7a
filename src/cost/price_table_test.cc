#include "cost/price_table.h"

#include <gtest/gtest.h>

namespace sluice::cost {
namespace {

TEST(ShippedPriceTableTest, KnowsTheProvidersListPrices) {
  const PriceTable& table = PriceTable::Shipped();
  const ModelPrices* mini = table.Find("openai", "gpt-4o-mini");
  ASSERT_NE(mini, nullptr);
  EXPECT_DOUBLE_EQ(mini->prices.input, 0.15);
  EXPECT_DOUBLE_EQ(mini->prices.cached_input, 0.075);
  EXPECT_DOUBLE_EQ(mini->prices.output, 0.60);
  // A dated snapshot matches its model; Anthropic's cache reads are a tenth of input.
  const ModelPrices* sonnet = table.Find("anthropic", "claude-sonnet-4-20250514");
  ASSERT_NE(sonnet, nullptr);
  EXPECT_DOUBLE_EQ(sonnet->prices.input, 3);
  EXPECT_DOUBLE_EQ(sonnet->prices.cached_input, 0.30);
  EXPECT_DOUBLE_EQ(sonnet->prices.output, 15);
  EXPECT_EQ(table.BatchDiscount("openai"), 0.5);
  EXPECT_EQ(table.BatchDiscount("anthropic"), 0.5);
  EXPECT_NE(table.source().find("@pydantic/genai-prices"), std::string::npos);
}

TEST(ShippedPriceTableTest, UnknownModelsAndProvidersHaveNoPrice) {
  const PriceTable& table = PriceTable::Shipped();
  EXPECT_EQ(table.Find("openai", "my-finetune-that-does-not-exist"), nullptr);
  EXPECT_EQ(table.Find("anthropic", "gpt-4o-mini"), nullptr);  // not Anthropic's model
  EXPECT_EQ(table.Find("openai-compatible", "gpt-4o-mini"), nullptr);
  EXPECT_EQ(table.BatchDiscount("openai-compatible"), std::nullopt);
}

TEST(ShippedPriceTableTest, EmbeddingsHaveAnInputPriceOnly) {
  const ModelPrices* small = PriceTable::Shipped().Find("openai", "text-embedding-3-small");
  ASSERT_NE(small, nullptr);
  EXPECT_DOUBLE_EQ(small->prices.input, 0.02);
  EXPECT_DOUBLE_EQ(small->prices.output, 0);
}

constexpr std::string_view kTable = R"({"source": "test", "licence": "MIT", "prices_on": "2026-12-07",
  "providers": [{"id": "p", "batch_discount": 0.5, "models": [
    {"id": "long", "match": [{"starts_with": "Long-"}], "input": 3, "cached_input": 0.3,
     "output": 15, "tiers": [{"above": 200000, "input": 6, "output": 22.5}]},
    {"id": "dated", "match": [{"regex": "^dated-\\d{8}$"}], "input": 1, "output": 2},
    {"id": "other", "match": [{"equals": "x"}, {"ends_with": "-y"}, {"contains": "zz"}],
     "input": 1}]}]})";

TEST(PriceTableTest, MatchesAsGenaiPricesDoes) {
  auto table = PriceTable::Parse(kTable);
  ASSERT_TRUE(table.ok()) << table.status().message();
  EXPECT_EQ(table->Find("p", "long-context")->id, "long");  // case-insensitive
  EXPECT_EQ(table->Find("p", "dated-20250101")->id, "dated");
  EXPECT_EQ(table->Find("p", "dated-2025"), nullptr);  // the regex is anchored
  EXPECT_EQ(table->Find("p", "X")->id, "other");
  EXPECT_EQ(table->Find("p", "a-y")->id, "other");
  EXPECT_EQ(table->Find("p", "azzb")->id, "other");
  EXPECT_EQ(table->Find("q", "x"), nullptr);
  EXPECT_EQ(table->source(), "test (MIT), prices on 2026-12-07");
}

TEST(PriceTableTest, ALongPromptRepricesTheWholeRequest) {
  auto table = PriceTable::Parse(kTable);
  ASSERT_TRUE(table.ok());
  const ModelPrices* long_context = table->Find("p", "long-1");
  EXPECT_DOUBLE_EQ(long_context->For(200000).input, 3);
  EXPECT_DOUBLE_EQ(long_context->For(200001).input, 6);
  EXPECT_DOUBLE_EQ(long_context->For(200001).output, 22.5);
  // A tier without a cached rate bills cached tokens at its input rate.
  EXPECT_DOUBLE_EQ(long_context->For(200001).cached_input, 6);
}

TEST(PriceTableTest, BadEntriesAreRefusedByName) {
  auto refused = [](std::string_view models) {
    std::string json = std::string(R"({"providers": [{"id": "p", "models": [)") +
                       std::string(models) + "]}]}";
    auto table = PriceTable::Parse(json);
    return table.ok() ? std::string("accepted") : table.status().message();
  };
  EXPECT_EQ(refused(R"({"id": "m", "match": [{"equals": "m"}], "output": 1})"),
            "price table: p m: no input price");
  EXPECT_EQ(refused(R"({"id": "m", "match": [{"equals": "m"}], "input": -1})"),
            "price table: p m: input is negative");
  EXPECT_EQ(refused(R"({"id": "m", "match": [{"equals": "m"}], "input": "1"})"),
            "price table: p m: input is not a number");
  EXPECT_EQ(refused(R"({"id": "m", "match": [{"glob": "m*"}], "input": 1})"),
            "price table: p m: unknown match rule 'glob'");
  EXPECT_EQ(refused(R"({"id": "m", "match": [{"regex": "(("}], "input": 1})"),
            "price table: p m: regex '((' does not compile");
  EXPECT_EQ(refused(R"({"id": "m", "input": 1})"), "price table: p m: no match rules");
  EXPECT_EQ(PriceTable::Parse("[]").status().message(), "price table: top level: not a JSON object");
}

}  // namespace
}  // namespace sluice::cost
