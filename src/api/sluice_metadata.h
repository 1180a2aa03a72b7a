// sluice's own keys in a Batch's metadata (string values, as OpenAI's metadata allows):
// sluice_max_cost_usd (the batch's cost cap, in dollars) and sluice_dry_run ("true": validate and
// price the file, send nothing); and the budget block of the Batch object. Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>

#include "cost/budget.h"
#include "http/message.h"

namespace sluice::api {

inline constexpr std::string_view kMaxCostKey = "sluice_max_cost_usd";
inline constexpr std::string_view kDryRunKey = "sluice_dry_run";

// The 400 for a sluice key with a value it cannot use (metadata already checked to be an object
// of strings, or null); nullopt when there is none.
std::optional<http::Response> CheckSluiceMetadata(const boost::json::value& metadata);

// The batch's cost cap in nanodollars (metadata.sluice_max_cost_usd); unset: none.
std::optional<std::int64_t> MaxCostOf(const boost::json::object& batch);
// Sets (or, for nullopt, removes) metadata.sluice_max_cost_usd.
void SetMaxCost(boost::json::object& batch, std::optional<std::int64_t> nanousd);

// sluice.budget of a batch being run: {"max_cost_usd" (null: none), "spent_usd",
// "reserved_usd" (what its requests in flight may still cost), "paused" (true while sending is
// paused for budget), "paused_reason"}.
void SetBudgetState(boost::json::object& batch, const cost::BudgetState& budget);

// True when metadata.sluice_dry_run is "true".
bool IsDryRun(const boost::json::value& metadata);

}  // namespace sluice::api
