#include "metrics/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace sluice::metrics {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(MetricsTest, CountsHttpRequestsByRouteStatusAndTenant) {
  Metrics metrics;
  HttpRequestRecord get{.method = "GET", .route = "/v1/files/{id}", .status = 200, .tenant = "a"};
  metrics.CountHttpRequest(get);
  metrics.CountHttpRequest(get);
  metrics.CountHttpRequest({.method = "POST", .route = "/v1/files", .status = 401, .tenant = ""});
  std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("# TYPE sluice_http_requests_total counter"));
  EXPECT_THAT(text, HasSubstr(R"(sluice_http_requests_total{method="GET",route="/v1/files/{id}",)"
                              R"(status="200",tenant="a"} 2)"));
  EXPECT_THAT(text, HasSubstr(R"(sluice_http_requests_total{method="POST",route="/v1/files",)"
                              R"(status="401",tenant=""} 1)"));
}

TEST(MetricsTest, UpstreamAttemptsMoveInFlightAndAreCountedByStatus) {
  Metrics metrics;
  metrics.UpstreamStarted("gpt-4o-mini#0");
  metrics.UpstreamStarted("gpt-4o-mini#0");
  metrics.UpstreamStarted("gpt-4o-mini#1");
  EXPECT_THAT(metrics.Render(),
              HasSubstr(R"(sluice_upstream_in_flight{deployment="gpt-4o-mini#0"} 2)"));
  metrics.UpstreamFinished("gpt-4o-mini#0", 200, std::chrono::milliseconds(30));
  metrics.UpstreamFinished("gpt-4o-mini#0", 429, std::chrono::milliseconds(3));
  metrics.UpstreamFinished("gpt-4o-mini#1", 0, std::chrono::seconds(120));
  metrics.CountRetry("gpt-4o-mini#0");
  std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr(R"(sluice_upstream_in_flight{deployment="gpt-4o-mini#0"} 0)"));
  EXPECT_THAT(text, HasSubstr(R"(sluice_upstream_in_flight{deployment="gpt-4o-mini#1"} 0)"));
  EXPECT_THAT(
      text,
      HasSubstr(R"(sluice_upstream_responses_total{code="200",deployment="gpt-4o-mini#0"} 1)"));
  EXPECT_THAT(
      text,
      HasSubstr(R"(sluice_upstream_responses_total{code="429",deployment="gpt-4o-mini#0"} 1)"));
  EXPECT_THAT(
      text,
      HasSubstr(R"(sluice_upstream_responses_total{code="none",deployment="gpt-4o-mini#1"} 1)"));
  EXPECT_THAT(text,
              HasSubstr(R"(sluice_upstream_rate_limited_total{deployment="gpt-4o-mini#0"} 1)"));
  EXPECT_THAT(text,
              Not(HasSubstr(R"(sluice_upstream_rate_limited_total{deployment="gpt-4o-mini#1"})")));
  EXPECT_THAT(text, HasSubstr(R"(sluice_upstream_retries_total{deployment="gpt-4o-mini#0"} 1)"));
}

TEST(MetricsTest, UpstreamLatencyIsAHistogramFrom5msTo120s) {
  Metrics metrics;
  metrics.UpstreamStarted("d#0");
  metrics.UpstreamFinished("d#0", 200, std::chrono::milliseconds(4));
  metrics.UpstreamStarted("d#0");
  metrics.UpstreamFinished("d#0", 200, std::chrono::milliseconds(700));
  std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("# TYPE sluice_upstream_request_duration_seconds histogram"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(sluice_upstream_request_duration_seconds_bucket{deployment="d#0",le="0.005"} 1)"));
  EXPECT_THAT(
      text,
      HasSubstr(R"(sluice_upstream_request_duration_seconds_bucket{deployment="d#0",le="0.5"} 1)"));
  EXPECT_THAT(
      text,
      HasSubstr(R"(sluice_upstream_request_duration_seconds_bucket{deployment="d#0",le="1"} 2)"));
  EXPECT_THAT(
      text,
      HasSubstr(R"(sluice_upstream_request_duration_seconds_bucket{deployment="d#0",le="120"} 2)"));
  EXPECT_THAT(text,
              HasSubstr(R"(sluice_upstream_request_duration_seconds_count{deployment="d#0"} 2)"));
  EXPECT_THAT(text,
              HasSubstr(R"(sluice_upstream_request_duration_seconds_sum{deployment="d#0"} 0.704)"));
}

TEST(MetricsTest, TokensAccumulateByModelAndDirection) {
  Metrics metrics;
  metrics.CountTokens("gpt-4o-mini", 1200, 300);
  metrics.CountTokens("gpt-4o-mini", 800, 0);
  std::string text = metrics.Render();
  EXPECT_THAT(text,
              HasSubstr(R"(sluice_tokens_total{direction="input",model="gpt-4o-mini"} 2000)"));
  EXPECT_THAT(text,
              HasSubstr(R"(sluice_tokens_total{direction="output",model="gpt-4o-mini"} 300)"));
}

TEST(MetricsTest, DeploymentHealthShowsBreakerLatencyHeadroomAndAnswerClasses) {
  Metrics metrics;
  metrics.SetDeploymentHealth("m#1", {.breaker_state = "open",
                                      .latency_ewma_seconds = 0.25,
                                      .available = {{"requests", 7}, {"output_tokens", 900}}});
  metrics.CountAnswer("m#1", "connection");
  metrics.CountAnswer("m#1", "connection");
  metrics.CountAnswer("m#1", "ok");
  std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("sluice_deployment_breaker_state{deployment=\"m#1\",state=\"open\"} 1"));
  EXPECT_THAT(text,
              HasSubstr("sluice_deployment_breaker_state{deployment=\"m#1\",state=\"closed\"} 0"));
  EXPECT_THAT(text, HasSubstr("sluice_deployment_latency_ewma_seconds{deployment=\"m#1\"} 0.25"));
  EXPECT_THAT(text,
              HasSubstr("sluice_deployment_available{budget=\"requests\",deployment=\"m#1\"} 7"));
  EXPECT_THAT(text, HasSubstr("sluice_deployment_available{budget=\"output_tokens\","
                              "deployment=\"m#1\"} 900"));
  EXPECT_THAT(text,
              HasSubstr("sluice_upstream_answers_total{class=\"connection\",deployment=\"m#1\"} 2"));
  EXPECT_THAT(text, HasSubstr("sluice_upstream_answers_total{class=\"ok\",deployment=\"m#1\"} 1"));
}

TEST(MetricsTest, GaugesHoldTheLastValueSet) {
  Metrics metrics;
  EXPECT_THAT(metrics.Render(), HasSubstr("sluice_items_queued 0"));
  metrics.SetLimiterHeadroom("gpt-4o-mini#0", 12, 4500.5);
  metrics.SetLimiterHeadroom("gpt-4o-mini#0", 10, 4000);
  metrics.SetBatches("in_progress", 3);
  metrics.SetBatches("completed", 7);
  metrics.SetBatches("in_progress", 2);
  metrics.SetItemsQueued(1500);
  std::string text = metrics.Render();
  EXPECT_THAT(text,
              HasSubstr(R"(sluice_limiter_requests_available{deployment="gpt-4o-mini#0"} 10)"));
  EXPECT_THAT(text,
              HasSubstr(R"(sluice_limiter_tokens_available{deployment="gpt-4o-mini#0"} 4000)"));
  EXPECT_THAT(text, HasSubstr(R"(sluice_batches{status="in_progress"} 2)"));
  EXPECT_THAT(text, HasSubstr(R"(sluice_batches{status="completed"} 7)"));
  EXPECT_THAT(text, HasSubstr("sluice_items_queued 1500"));
}

TEST(MetricsTest, CallsFromManyThreadsAreAllCounted) {
  Metrics metrics;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&metrics] {
      for (int i = 0; i < 1000; ++i) {
        metrics.UpstreamStarted("d#0");
        metrics.UpstreamFinished("d#0", 200, std::chrono::milliseconds(1));
        metrics.CountHttpRequest(
            {.method = "GET", .route = "/v1/models", .status = 200, .tenant = "a"});
      }
    });
  }
  for (auto& t : threads) t.join();
  std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr(R"(sluice_upstream_in_flight{deployment="d#0"} 0)"));
  EXPECT_THAT(text,
              HasSubstr(R"(sluice_upstream_responses_total{code="200",deployment="d#0"} 4000)"));
  EXPECT_THAT(text, HasSubstr(R"(route="/v1/models",status="200",tenant="a"} 4000)"));
}

}  // namespace
}  // namespace sluice::metrics
