// ResultOf: an item's one result from the final outcome of its request, priced from its usage —
// the same for an answer of the real-time dispatcher and for a line of a provider's batch.
// Pure; thread-safe.
#pragma once

#include <optional>

#include "batch/records.h"
#include "cost/prices.h"
#include "providers/provider.h"

namespace sluice::scheduler {

// What an answer of `usage` cost at `prices`, in nanodollars: 0 when nothing was billed (whatever
// the price), unset when the price is unknown.
std::optional<std::int64_t> CostOf(const batch::Usage& usage,
                                   const std::optional<cost::Prices>& prices);

// `leased`'s result from its final `outcome`, priced at `prices` (those of the model that
// answered, already discounted for a provider batch; unset: unknown). An answer without usage
// costs 0: nothing was billed.
batch::ResultRecord ResultOf(const batch::LeasedItem& leased, const providers::Outcome& outcome,
                             const std::optional<cost::Prices>& prices);

// The result of `duplicate`, a line that shares `sent`'s answer: the same answer under its own
// custom_id, billed nothing (the provider billed `sent` once), saving what `sent` cost.
batch::ResultRecord DuplicateResult(const batch::ResultRecord& sent,
                                    const batch::Duplicate& duplicate);

}  // namespace sluice::scheduler
