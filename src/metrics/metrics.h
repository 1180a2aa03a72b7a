// Metrics: sluice's Prometheus metrics behind typed methods, so callers never see prometheus-cpp
// types, and Render() for GET /metrics. Label values are names the caller passes (route
// templates, deployment and model names, tenant names): never a key or a raw path.
// Thread-safe: every method may be called from any thread (prometheus-cpp locks and atomics).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"

namespace sluice::metrics {

// One request the gateway's HTTP API answered.
struct HttpRequestRecord {
  std::string_view method;  // "GET", "POST", ...
  std::string_view route;   // the route template, "/v1/files/{id}"; "unmatched" for a 404 path
  int status = 0;           // the status sent
  std::string_view tenant;  // the caller's tenant; empty when none was established (a 401)
};

// One deployment's standing for /metrics, refreshed on every scrape.
struct DeploymentHealth {
  std::string_view breaker_state;  // "closed", "open", "half-open"
  double latency_ewma_seconds = 0;  // 0 before the first successful answer
  // What its limiter could grant now, per budget it meters ("requests", "tokens",
  // "input_tokens", "output_tokens"); budgets whose limit is not known yet are left out.
  std::vector<std::pair<std::string_view, double>> available;
};

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // sluice_http_requests_total{method,route,status,tenant}.
  void CountHttpRequest(const HttpRequestRecord& request);

  // An attempt to `deployment` ("gpt-4o-mini#0") began: sluice_upstream_in_flight{deployment}
  // goes up. Every call is matched by one UpstreamFinished for the same deployment.
  void UpstreamStarted(std::string_view deployment);
  // The attempt ended with HTTP `status` (0: no answer: connection failure, timeout,
  // cancellation) after `latency`: in-flight goes down, and it is counted in
  // sluice_upstream_responses_total{deployment,code} (code "none" for 0),
  // sluice_upstream_request_duration_seconds{deployment} and, for a 429,
  // sluice_upstream_rate_limited_total{deployment}.
  void UpstreamFinished(std::string_view deployment, int status, Duration latency);
  // The class of an attempt's outcome ("ok", "rate_limited", "overloaded", "server_error",
  // "invalid_response", "timeout", "connection", "client_error", "cancelled"):
  // sluice_upstream_answers_total{deployment,class}.
  void CountAnswer(std::string_view deployment, std::string_view answer_class);
  // sluice_deployment_breaker_state{deployment,state} (1 for the state it is in, 0 for the two
  // others), sluice_deployment_latency_ewma_seconds{deployment} and
  // sluice_deployment_available{deployment,budget}.
  void SetDeploymentHealth(std::string_view deployment, const DeploymentHealth& health);
  // A failed attempt will be tried again: sluice_upstream_retries_total{deployment}.
  void CountRetry(std::string_view deployment);

  // Usage the provider reported: sluice_tokens_total{model,direction="input"|"output"}.
  void CountTokens(std::string_view model, std::int64_t input, std::int64_t output);

  // What `deployment`'s limiter could grant right now: sluice_limiter_requests_available and
  // sluice_limiter_tokens_available{deployment}.
  void SetLimiterHeadroom(std::string_view deployment, double requests, double tokens);

  // How many batches are in `status` ("in_progress", ...): sluice_batches{status}.
  void SetBatches(std::string_view status, std::int64_t count);
  // Items waiting to be sent, all batches together: sluice_items_queued.
  void SetItemsQueued(std::int64_t count);

  // Every family in Prometheus's text exposition format (version 0.0.4).
  std::string Render() const;

 private:
  struct Families;
  std::unique_ptr<Families> families_;
};

}  // namespace sluice::metrics
