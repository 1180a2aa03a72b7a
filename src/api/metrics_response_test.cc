#include "api/metrics_response.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::api {
namespace {

TEST(MetricsResponseTest, IsPrometheusTextWithTheSeriesRecorded) {
  metrics::Metrics metrics;
  metrics.SetItemsQueued(42);
  http::Response response = MetricsResponse(metrics);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers.Get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_THAT(response.body, ::testing::HasSubstr("\nsluice_items_queued 42\n"));
}

}  // namespace
}  // namespace sluice::api
