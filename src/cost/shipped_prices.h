// The price table built into sluice: JSON generated from @pydantic/genai-prices by
// scripts/prices/generate.mjs (shipped_prices.cc). Read it through PriceTable::Shipped().
#pragma once

#include <string_view>

namespace sluice::cost {

extern const std::string_view kShippedPriceTable;

}  // namespace sluice::cost
