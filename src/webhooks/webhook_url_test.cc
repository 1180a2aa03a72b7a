#include "webhooks/webhook_url.h"

#include <gtest/gtest.h>

namespace sluice::webhooks {
namespace {

TEST(WebhookUrlTest, AcceptsHttpAndHttpsReceivers) {
  EXPECT_EQ(WebhookUrlProblem("https://hooks.example.com/sluice", "0.0.0.0", 8080), std::nullopt);
  EXPECT_EQ(WebhookUrlProblem("http://127.0.0.1:9000/h", "127.0.0.1", 8080), std::nullopt);
  EXPECT_EQ(WebhookUrlProblem("http://10.0.0.5:8080/h", "127.0.0.1", 8080), std::nullopt);
}

TEST(WebhookUrlTest, RefusesOtherSchemesAndTheGatewayItself) {
  EXPECT_EQ(*WebhookUrlProblem("ftp://example.com/", "127.0.0.1", 8080),
            "a webhook URL is http:// or https://, got 'ftp://example.com/'");
  EXPECT_EQ(*WebhookUrlProblem("http://localhost:8080/v1/x", "127.0.0.1", 8080),
            "a webhook URL may not point at the gateway itself: 'http://localhost:8080/v1/x'");
  EXPECT_TRUE(WebhookUrlProblem("http://[::1]:8080/", "0.0.0.0", 8080).has_value());
  EXPECT_TRUE(WebhookUrlProblem("http://gw.internal/", "gw.internal", 80).has_value());
  EXPECT_TRUE(WebhookUrlProblem("http:///path", "127.0.0.1", 8080).has_value());
  EXPECT_TRUE(WebhookUrlProblem("http://h:99999/", "127.0.0.1", 8080).has_value());
  EXPECT_TRUE(WebhookUrlProblem("http://user:pw@h/", "127.0.0.1", 8080).has_value());
}

}  // namespace
}  // namespace sluice::webhooks
