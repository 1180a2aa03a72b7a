#include "runtime/dry_run_plan.h"

#include <boost/json.hpp>

#include "cost/prices.h"
#include "runtime/model_prices.h"

namespace sluice::runtime {
namespace json = boost::json;

cost::Throughput SumThroughput(const std::vector<DeploymentRate>& deployments) {
  double rpm = 0;
  double tpm = 0;   // OpenAI's budget: prompt + output caps
  double itpm = 0;  // Anthropic's input budget: prompts (its output budget counts real output)
  bool rpm_known = true;  // a deployment that learns its limit leaves the model's sum unknown
  bool tpm_known = true;
  bool itpm_known = true;
  for (const DeploymentRate& d : deployments) {
    rpm += static_cast<double>(d.rpm);
    tpm += static_cast<double>(d.tpm);
    itpm += static_cast<double>(d.itpm);
    rpm_known = rpm_known && d.rpm > 0;
    tpm_known = tpm_known && !d.anthropic && d.tpm > 0;
    itpm_known = itpm_known && d.anthropic && d.itpm > 0;
  }
  if (deployments.empty()) return {};
  return {rpm_known ? rpm : 0, tpm_known ? tpm : 0, itpm_known ? itpm : 0};
}

cost::Throughput ConfiguredThroughput(const config::Config& config, const std::string& model) {
  std::vector<DeploymentRate> rates;
  for (const config::ModelConfig& m : config.models) {
    if (m.name != model) continue;
    for (const auto& d : m.deployments) {
      rates.push_back({d.provider == config::ProviderKind::kAnthropic, d.rpm, d.tpm, d.itpm});
    }
  }
  return SumThroughput(rates);
}

Duration MinimumDuration(const config::Config& config, const batch::IngestReport& report,
                         const ThroughputOf& throughput) {
  Duration slowest{};
  for (const auto& [model, totals] : report.by_model) {
    cost::Workload work{totals.requests, totals.prompt_tokens + totals.max_output_tokens,
                        totals.prompt_tokens};
    cost::Throughput capacity =
        throughput ? throughput(model) : ConfiguredThroughput(config, model);
    slowest = std::max(slowest, cost::RealtimeDuration(work, capacity));
  }
  return slowest;
}

DryRunPlan PlanDryRun(const config::Config& config, const batch::IngestReport& report,
                      Duration time_left, const ThroughputOf& throughput) {
  DryRunPlan plan;
  const cost::ModeChoiceOptions choosing;
  double realtime = 0;
  double provider = 0;
  std::string unavailable;
  for (const auto& [model, totals] : report.by_model) {
    std::optional<ModelPricing> priced = PricesOf(config, model);
    std::optional<double> discount = BatchDiscountOf(config, model);
    if (!discount && unavailable.empty()) {
      unavailable = "model " + model + " has no provider batch API (openai and anthropic have one)";
    }
    if (!priced) {
      plan.unpriced_models.push_back(model);
      continue;
    }
    double most = cost::MaximumCost(priced->prices, totals.prompt_tokens, totals.max_output_tokens);
    realtime += most;
    provider += most * discount.value_or(1);
  }
  plan.realtime.duration = MinimumDuration(config, report, throughput);
  plan.realtime.note = throughput ? "the least time the deployments' current limits allow"
                                  : "the least time the configured rpm/tpm limits allow";
  plan.provider.duration = std::min(time_left, choosing.provider_window);
  plan.provider.note = "up to the provider's batch window (most batches finish sooner)";
  plan.provider.available = unavailable.empty();
  if (!plan.provider.available) plan.provider.note = unavailable;
  if (plan.unpriced_models.empty()) {
    plan.realtime.cost_usd = realtime;
    if (plan.provider.available) plan.provider.cost_usd = provider;
  }
  plan.choice = cost::ChooseMode({.realtime_duration = plan.realtime.duration,
                                  .time_left = time_left,
                                  .realtime_cost = plan.realtime.cost_usd,
                                  .provider_cost = plan.provider.cost_usd,
                                  .provider_available = plan.provider.available},
                                 choosing);
  return plan;
}

json::object DryRunJson(const batch::IngestReport& report, const DryRunPlan& plan) {
  auto mode = [](const ModeFigures& figures) {
    json::object out{{"available", figures.available},
                     {"max_cost_usd", nullptr},
                     {"duration_seconds", nullptr},
                     {"note", figures.note}};
    if (figures.cost_usd) out["max_cost_usd"] = *figures.cost_usd;
    if (figures.available) {
      out["duration_seconds"] = std::chrono::duration<double>(figures.duration).count();
    }
    return out;
  };
  json::array reasons;
  for (const std::string& reason : plan.choice.reasons) reasons.emplace_back(reason);
  json::array unpriced;
  for (const std::string& model : plan.unpriced_models) unpriced.emplace_back(model);
  return json::object{
      {"requests", report.totals.requests},
      {"prompt_tokens", report.totals.prompt_tokens},
      {"max_output_tokens", report.totals.max_output_tokens},
      {"modes", json::object{{"realtime", mode(plan.realtime)}, {"provider", mode(plan.provider)}}},
      {"auto",
       json::object{{"mode", cost::ModeName(plan.choice.mode)}, {"reasons", std::move(reasons)}}},
      {"unpriced_models", std::move(unpriced)}};
}

}  // namespace sluice::runtime
