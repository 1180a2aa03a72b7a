// ResultOf: an item's one result from the final outcome of its request, priced from its usage —
// the same for an answer of the real-time dispatcher and for a line of a provider's batch.
// Pure; thread-safe.
#pragma once

#include <optional>

#include "batch/records.h"
#include "cost/prices.h"
#include "providers/provider.h"

namespace sluice::scheduler {

// `leased`'s result from its final `outcome`, priced at `prices` (those of the model that
// answered, already discounted for a provider batch; unset: unknown). An answer without usage
// costs 0: nothing was billed.
batch::ResultRecord ResultOf(const batch::LeasedItem& leased, const providers::Outcome& outcome,
                             const std::optional<cost::Prices>& prices);

}  // namespace sluice::scheduler
