#include "api/sluice_metadata.h"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "api/errors.h"
#include "cost/budget.h"

namespace sluice::api {
namespace json = boost::json;
namespace {

const json::string* StringIn(const json::value& metadata, std::string_view key) {
  if (!metadata.is_object()) return nullptr;
  const json::value* value = metadata.get_object().if_contains(key);
  return value != nullptr && value->is_string() ? &value->get_string() : nullptr;
}

}  // namespace

std::optional<http::Response> CheckSluiceMetadata(const json::value& metadata) {
  if (const json::string* cap = StringIn(metadata, kMaxCostKey)) {
    Result<std::int64_t> parsed = cost::ParseUsd(*cap);
    if (!parsed.ok()) {
      return InvalidRequest(
          400, fmt::format("Invalid 'metadata.{}': {}.", kMaxCostKey, parsed.status().message()),
          "metadata." + std::string(kMaxCostKey), "invalid_value");
    }
  }
  if (const json::string* dry = StringIn(metadata, kDryRunKey)) {
    if (*dry != "true" && *dry != "false") {
      return InvalidRequest(
          400, fmt::format("Invalid 'metadata.{}': expected \"true\" or \"false\".", kDryRunKey),
          "metadata." + std::string(kDryRunKey), "invalid_value");
    }
  }
  return std::nullopt;
}

std::optional<std::int64_t> MaxCostOf(const json::object& batch) {
  const json::value* metadata = batch.if_contains("metadata");
  if (metadata == nullptr) return std::nullopt;
  const json::string* cap = StringIn(*metadata, kMaxCostKey);
  if (cap == nullptr) return std::nullopt;
  Result<std::int64_t> parsed = cost::ParseUsd(*cap);
  return parsed.ok() ? std::optional<std::int64_t>(*parsed) : std::nullopt;
}

void SetMaxCost(json::object& batch, std::optional<std::int64_t> nanousd) {
  json::value& metadata = batch["metadata"];
  if (!metadata.is_object()) metadata = json::object();
  if (!nanousd) {
    metadata.get_object().erase(kMaxCostKey);
    return;
  }
  // Exact to the nanodollar, without trailing zeros: "0.5", "12".
  std::string text = fmt::format("{}.{:09}", *nanousd / 1'000'000'000, *nanousd % 1'000'000'000);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  metadata.get_object()[kMaxCostKey] = text;
}

void SetBudgetState(json::object& batch, const cost::BudgetState& budget) {
  auto dollars = [](std::int64_t nanousd) { return static_cast<double>(nanousd) / 1e9; };
  json::value& sluice = batch["sluice"];
  if (!sluice.is_object()) sluice = json::object();
  sluice.get_object()["budget"] = json::object{
      {"max_cost_usd", budget.cap ? json::value(dollars(*budget.cap)) : json::value(nullptr)},
      {"spent_usd", dollars(budget.spent)},
      {"reserved_usd", dollars(budget.reserved)},
      {"paused", budget.paused.has_value()},
      {"paused_reason", budget.paused ? json::value(*budget.paused) : json::value(nullptr)}};
}

bool IsDryRun(const json::value& metadata) {
  const json::string* dry = StringIn(metadata, kDryRunKey);
  return dry != nullptr && *dry == "true";
}

}  // namespace sluice::api
