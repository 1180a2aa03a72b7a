#include "metrics/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <chrono>

namespace sluice::metrics {
namespace {

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;

// Upstream latency from a fast cached answer (5 ms) to a deployment's whole timeout (120 s).
const Histogram::BucketBoundaries& LatencyBuckets() {
  static const Histogram::BucketBoundaries kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
                                                       2.5,   5,    10,    20,   30,  60,   120};
  return kBuckets;
}

Family<Counter>& CounterFamily(prometheus::Registry& registry, const std::string& name,
                               const std::string& help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(registry);
}

Family<Gauge>& GaugeFamily(prometheus::Registry& registry, const std::string& name,
                           const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(registry);
}

prometheus::Labels Deployment(std::string_view deployment) {
  return {{"deployment", std::string(deployment)}};
}

}  // namespace

// The names and label names are constants, so prometheus-cpp's checks (which throw) always pass.
struct Metrics::Families {
  prometheus::Registry registry;
  Family<Counter>& http_requests = CounterFamily(registry, "sluice_http_requests_total",
                                                 "Requests answered by the HTTP API, by route.");
  Family<Gauge>& upstream_in_flight = GaugeFamily(
      registry, "sluice_upstream_in_flight", "Requests sent to a deployment and not yet answered.");
  Family<Histogram>& upstream_duration =
      prometheus::BuildHistogram()
          .Name("sluice_upstream_request_duration_seconds")
          .Help("Time from sending a request to a deployment to the end of its answer.")
          .Register(registry);
  Family<Counter>& upstream_responses =
      CounterFamily(registry, "sluice_upstream_responses_total",
                    "Attempts sent to a deployment, by HTTP status (none: no answer).");
  Family<Counter>& upstream_rate_limited = CounterFamily(
      registry, "sluice_upstream_rate_limited_total", "429 answers from a deployment.");
  Family<Counter>& upstream_retries = CounterFamily(registry, "sluice_upstream_retries_total",
                                                    "Failed attempts that will be tried again.");
  Family<Counter>& tokens = CounterFamily(registry, "sluice_tokens_total",
                                          "Tokens the providers reported, by model and direction.");
  Family<Gauge>& limiter_requests = GaugeFamily(registry, "sluice_limiter_requests_available",
                                                "Requests a deployment's limiter could grant now.");
  Family<Gauge>& limiter_tokens = GaugeFamily(registry, "sluice_limiter_tokens_available",
                                              "Tokens a deployment's limiter could grant now.");
  Family<Counter>& upstream_answers =
      CounterFamily(registry, "sluice_upstream_answers_total",
                    "Attempts sent to a deployment, by the class of their outcome.");
  Family<Gauge>& breaker_state =
      GaugeFamily(registry, "sluice_deployment_breaker_state",
                  "1 for the state a deployment's circuit breaker is in (closed, open, half-open).");
  Family<Gauge>& latency_ewma =
      GaugeFamily(registry, "sluice_deployment_latency_ewma_seconds",
                  "Moving average of a deployment's successful answer times (the router's).");
  Family<Gauge>& available = GaugeFamily(
      registry, "sluice_deployment_available",
      "What a deployment's limiter could grant now, per budget (requests, tokens, input_tokens, "
      "output_tokens).");
  Family<Gauge>& batches = GaugeFamily(registry, "sluice_batches", "Batches by status.");
  Gauge& items_queued =
      GaugeFamily(registry, "sluice_items_queued", "Items waiting to be sent, in all batches.")
          .Add({});
};

Metrics::Metrics() : families_(std::make_unique<Families>()) {}

Metrics::~Metrics() = default;

void Metrics::CountHttpRequest(const HttpRequestRecord& request) {
  families_->http_requests
      .Add({{"method", std::string(request.method)},
            {"route", std::string(request.route)},
            {"status", std::to_string(request.status)},
            {"tenant", std::string(request.tenant)}})
      .Increment();
}

void Metrics::UpstreamStarted(std::string_view deployment) {
  families_->upstream_in_flight.Add(Deployment(deployment)).Increment();
}

void Metrics::UpstreamFinished(std::string_view deployment, int status, Duration latency) {
  prometheus::Labels labels = Deployment(deployment);
  families_->upstream_in_flight.Add(labels).Decrement();
  families_->upstream_duration.Add(labels, LatencyBuckets())
      .Observe(std::chrono::duration<double>(latency).count());
  if (status == 429) families_->upstream_rate_limited.Add(labels).Increment();
  labels.emplace("code", status == 0 ? std::string("none") : std::to_string(status));
  families_->upstream_responses.Add(labels).Increment();
}

void Metrics::CountAnswer(std::string_view deployment, std::string_view answer_class) {
  prometheus::Labels labels = Deployment(deployment);
  labels.emplace("class", std::string(answer_class));
  families_->upstream_answers.Add(labels).Increment();
}

void Metrics::SetDeploymentHealth(std::string_view deployment, const DeploymentHealth& health) {
  for (std::string_view state : {"closed", "open", "half-open"}) {
    prometheus::Labels labels = Deployment(deployment);
    labels.emplace("state", std::string(state));
    families_->breaker_state.Add(labels).Set(state == health.breaker_state ? 1 : 0);
  }
  families_->latency_ewma.Add(Deployment(deployment)).Set(health.latency_ewma_seconds);
  for (const auto& [budget, amount] : health.available) {
    prometheus::Labels labels = Deployment(deployment);
    labels.emplace("budget", std::string(budget));
    families_->available.Add(labels).Set(amount);
  }
}

void Metrics::CountRetry(std::string_view deployment) {
  families_->upstream_retries.Add(Deployment(deployment)).Increment();
}

void Metrics::CountTokens(std::string_view model, std::int64_t input, std::int64_t output) {
  std::string name(model);
  families_->tokens.Add({{"model", name}, {"direction", "input"}})
      .Increment(static_cast<double>(input));
  families_->tokens.Add({{"model", name}, {"direction", "output"}})
      .Increment(static_cast<double>(output));
}

void Metrics::SetLimiterHeadroom(std::string_view deployment, double requests, double tokens) {
  prometheus::Labels labels = Deployment(deployment);
  families_->limiter_requests.Add(labels).Set(requests);
  families_->limiter_tokens.Add(labels).Set(tokens);
}

void Metrics::SetBatches(std::string_view status, std::int64_t count) {
  families_->batches.Add({{"status", std::string(status)}}).Set(static_cast<double>(count));
}

void Metrics::SetItemsQueued(std::int64_t count) {
  families_->items_queued.Set(static_cast<double>(count));
}

std::string Metrics::Render() const {
  return prometheus::TextSerializer().Serialize(families_->registry.Collect());
}

}  // namespace sluice::metrics
