#include "runtime/run_report.h"

#include "batch/output_files.h"
#include "cost/prices.h"
#include "runtime/model_prices.h"

namespace sluice::runtime {

scheduler::Progress ProgressOf(const provider_batch::ProviderProgress& p) {
  scheduler::Progress out;
  out.succeeded = p.succeeded;
  out.failed = p.failed;
  out.sent = p.submitted_lines;
  out.retries = p.resent_lines;
  out.usage_by_model = p.usage_by_model;
  for (const auto& [model, usage] : p.usage_by_model) {
    out.prompt_tokens += usage.prompt_tokens;
    out.completion_tokens += usage.completion_tokens;
  }
  return out;
}

void AddProviderPart(scheduler::Progress& into, const scheduler::Progress& provider) {
  into.sent += provider.sent;
  into.retries += provider.retries;
  into.prompt_tokens += provider.prompt_tokens;
  into.completion_tokens += provider.completion_tokens;
  for (const auto& [model, usage] : provider.usage_by_model) into.usage_by_model[model] += usage;
}

Status WriteResults(store::Store& store, TransientRetry& retry, const std::string& batch_id,
                    const RunRequest& request, RunReport& report) {
  batch::ResultPager pager = [&](std::int64_t after, std::size_t limit) {
    return RetryTransient(retry, [&] { return store.ReadResults(batch_id, after, limit); });
  };
  SLUICE_ASSIGN_OR_RETURN(
      batch::OutputCounts counts,
      batch::WriteOutputFiles(pager, batch_id, request.output_path, request.errors_path));
  if (counts.unpriced == 0) report.batch_cost = static_cast<double>(counts.cost_nanousd) / 1e9;
  report.dedup_requests_saved = counts.deduplicated;
  report.dedup_saved_usd = static_cast<double>(counts.saved_nanousd) / 1e9;
  return OkStatus();
}

void PriceReport(const config::Config& config, RunReport& report,
                 const std::map<std::string, batch::Usage>& realtime) {
  std::map<std::string, cost::Prices> prices;
  for (const auto& [model, totals] : report.ingest.by_model) {
    auto priced = PricesOf(config, model);
    if (priced) {
      prices[model] = priced->prices;
    } else {
      report.unpriced_models.push_back(model);
    }
  }
  if (!report.unpriced_models.empty()) return;
  double maximum = 0;
  for (const auto& [model, totals] : report.ingest.by_model) {
    maximum += cost::MaximumCost(prices[model], totals.prompt_tokens, totals.max_output_tokens);
  }
  report.maximum_cost = maximum;
  double spent = 0;
  for (const auto& [model, usage] : realtime) {
    auto priced = PricesOf(config, model);
    if (!priced) return;
    spent += cost::UsageCost(priced->prices, usage.prompt_tokens, usage.cached_tokens,
                             usage.completion_tokens);
  }
  report.cost = spent;
}

}  // namespace sluice::runtime
