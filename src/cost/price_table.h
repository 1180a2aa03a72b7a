// PriceTable: what each provider's models cost, looked up by the provider and the provider's own
// model name — the table that ships with sluice (generated from @pydantic/genai-prices, see
// scripts/prices/generate.mjs) or one parsed from the same JSON. Model names match as
// genai-prices matches them: the first model whose rules match (equals, starts_with, ends_with,
// contains: case-insensitive; regex: ECMAScript, case-sensitive). Immutable once built;
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "cost/prices.h"

namespace sluice::cost {

// Prices that apply to requests whose prompt is longer than `above` tokens (long-context tiers
// reprice the whole request).
struct PriceTier {
  std::int64_t above = 0;
  Prices prices;
};

struct ModelPrices {
  std::string id;  // genai-prices' model id ("claude-sonnet-4-5")
  Prices prices;
  std::vector<PriceTier> tiers;  // by `above`, ascending
  // The prices of a request with `prompt_tokens` prompt tokens.
  const Prices& For(std::int64_t prompt_tokens) const;
};

class PriceTable {
 public:
  // The table in kShippedPriceTable, parsed once.
  static const PriceTable& Shipped();
  // A table in the generator's JSON shape; kInvalidArgument naming what is wrong (a missing or
  // negative price, an unknown match rule, a regex that does not compile).
  static Result<PriceTable> Parse(std::string_view json);

  // The prices of `model` at `provider` ("openai", "anthropic"); nullptr when unknown.
  const ModelPrices* Find(std::string_view provider, std::string_view model) const;
  // The share of the price a provider's batch API bills (0.5: half price); nullopt when the
  // provider has no batch API in the table.
  std::optional<double> BatchDiscount(std::string_view provider) const;
  // "@pydantic/genai-prices 0.1.8 (MIT), prices on 2026-12-07".
  const std::string& source() const { return source_; }

  struct Rule;
  struct Entry;
  struct Provider;
  PriceTable();
  ~PriceTable();
  PriceTable(PriceTable&&) noexcept;
  PriceTable& operator=(PriceTable&&) noexcept;

 private:
  std::vector<Provider> providers_;
  std::string source_;
};

}  // namespace sluice::cost
