#include "retry/retry_policy.h"

#include <gtest/gtest.h>

namespace sluice::retry {
namespace {

using namespace std::chrono_literals;

TEST(RetryPolicyTest, GivesUpAfterMaxAttempts) {
  RetryPolicy policy({.max_attempts = 3});
  Random random(1);
  TimePoint now{};
  EXPECT_TRUE(policy.NextAttempt(1, std::nullopt, now, random).has_value());
  EXPECT_TRUE(policy.NextAttempt(2, std::nullopt, now, random).has_value());
  EXPECT_FALSE(policy.NextAttempt(3, std::nullopt, now, random).has_value());
}

TEST(RetryPolicyTest, FullJitterStaysWithinTheDoublingCeiling) {
  RetryPolicy policy({.base_delay = 100ms, .max_delay = 1s});
  Random random(7);
  Duration longest_third{};
  for (int i = 0; i < 2000; ++i) {
    EXPECT_LE(policy.Backoff(1, random), 100ms);
    Duration third = policy.Backoff(3, random);
    EXPECT_LE(third, 400ms);
    longest_third = std::max(longest_third, third);
    EXPECT_LE(policy.Backoff(30, random), 1s);
  }
  EXPECT_GT(longest_third, 300ms);  // the draws really spread over the range
}

TEST(RetryPolicyTest, NeverRetriesBeforeTheProviderHint) {
  RetryPolicy policy({.base_delay = 10ms, .max_delay = 20ms});
  Random random(3);
  TimePoint now{};
  for (int i = 0; i < 100; ++i) {
    EXPECT_GE(*policy.NextAttempt(1, 540ms, now, random), now + 540ms);
  }
}

TEST(RetryPolicyTest, ClampsAbsurdHints) {
  RetryPolicy policy({.max_hint = 1min});
  Random random(3);
  TimePoint now{};
  EXPECT_LE(*policy.NextAttempt(1, 24h, now, random), now + 1min);
  EXPECT_GE(*policy.NextAttempt(1, -5s, now, random), now);
}

}  // namespace
}  // namespace sluice::retry
