// BatchesApi's budget endpoint: POST /v1/batches/{id}/budget {"max_cost_usd": "10"} changes a
// batch's cost cap (metadata.sluice_max_cost_usd, saved with the batch) — OpenAI's API lets no
// one change a batch's metadata — and a batch paused at its cap resumes once the new one leaves
// room; null removes the cap. Threading: as BatchesApi (the io executor).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <cmath>

#include "api/batch_object.h"
#include "api/batches_api.h"
#include "api/errors.h"
#include "api/sluice_metadata.h"
#include "cost/budget.h"

namespace sluice::api {
namespace asio = boost::asio;
namespace json = boost::json;
namespace {

constexpr std::string_view kParam = "max_cost_usd";

// The cap in `body` (a string or a number of dollars, or null for none), or its 400.
std::variant<std::optional<std::int64_t>, http::Response> CapIn(const http::Request& request) {
  boost::system::error_code ec;
  json::value body = json::parse(request.body, ec);
  if (ec || !body.is_object()) return NotJson();
  const json::value* value = body.get_object().if_contains(kParam);
  if (value == nullptr) {
    return InvalidRequest(400, "Missing required parameter: 'max_cost_usd'.", std::string(kParam),
                          "missing_required_parameter");
  }
  if (value->is_null()) return std::optional<std::int64_t>();
  std::string text;
  if (value->is_string()) {
    text = value->get_string();
  } else if (value->is_number()) {
    text = fmt::format("{}", value->to_number<double>());
  } else {
    text = json::serialize(*value);
  }
  Result<std::int64_t> cap = cost::ParseUsd(text);
  if (!cap.ok()) {
    return InvalidRequest(400, "Invalid 'max_cost_usd': " + cap.status().message() + ".",
                          std::string(kParam), "invalid_value");
  }
  return std::optional<std::int64_t>(*cap);
}

}  // namespace

asio::awaitable<http::Response> BatchesApi::SetBudget(std::string id, http::Request request,
                                                      Scope scope) {
  auto cap = CapIn(request);
  if (auto* bad = std::get_if<http::Response>(&cap)) co_return std::move(*bad);
  auto it = active_.find(id);
  if (it == active_.end() || !scope.Sees(it->second.record.tenant)) {
    Result<batch::BatchRecord> record = co_await Load(id, std::move(scope));
    if (!record.ok()) co_return NoSuchObject("Batch", id);
    co_return InvalidRequest(
        400, "Cannot change the budget of a batch with status '" + record->status + "'.",
        std::nullopt, "batch_not_running");
  }
  Active& batch = it->second;
  std::optional<std::int64_t> before = MaxCostOf(batch.object);
  std::optional<std::int64_t> after = std::get<std::optional<std::int64_t>>(cap);
  SetMaxCost(batch.object, after);
  Status saved = co_await Save(batch);
  if (!saved.ok()) {
    SetMaxCost(batch.object, before);
    co_return http::ErrorResponse({500, "server_error", saved.message(), {}, {}});
  }
  dispatcher_.SetBatchBudget(id, after);
  spdlog::info("batch {}: max cost {} (was {})", id, after ? cost::FormatUsd(*after) : "none",
               before ? cost::FormatUsd(*before) : "none");
  co_return JsonOk(json::serialize(View(batch)));
}

}  // namespace sluice::api
