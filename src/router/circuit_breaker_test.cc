#include "router/circuit_breaker.h"

#include <gtest/gtest.h>

namespace sluice::router {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr TimePoint kStart{seconds(1000)};

BreakerOptions Options() {
  return {.consecutive_failures = 3,
          .failure_ratio = 0.5,
          .min_requests = 10,
          .window = seconds(10),
          .cooldown = seconds(5)};
}

TEST(CircuitBreakerTest, OpensAfterConsecutiveFailures) {
  CircuitBreaker breaker(Options());
  EXPECT_EQ(breaker.OnAnswer(Signal::kFailure, kStart), std::nullopt);
  EXPECT_EQ(breaker.OnAnswer(Signal::kFailure, kStart), std::nullopt);
  EXPECT_TRUE(breaker.Allows(kStart));
  EXPECT_EQ(breaker.OnAnswer(Signal::kFailure, kStart), BreakerState::kOpen);
  EXPECT_FALSE(breaker.Allows(kStart));
  EXPECT_EQ(breaker.State(kStart), BreakerState::kOpen);
  EXPECT_EQ(breaker.ProbeAt(), kStart + seconds(5));
}

TEST(CircuitBreakerTest, ASuccessResetsTheRun) {
  BreakerOptions options = Options();
  options.min_requests = 1000;  // the ratio never counts here
  CircuitBreaker breaker(options);
  for (int i = 0; i < 10; ++i) {
    breaker.OnAnswer(Signal::kFailure, kStart);
    breaker.OnAnswer(Signal::kFailure, kStart);
    EXPECT_EQ(breaker.OnAnswer(Signal::kSuccess, kStart), std::nullopt);
  }
  EXPECT_EQ(breaker.State(kStart), BreakerState::kClosed);
}

TEST(CircuitBreakerTest, OpensOnTheFailureRatioOnceEnoughAnswersCame) {
  CircuitBreaker breaker(Options());
  // Failure, success, failure, ...: never 3 in a row, half of them failed.
  int opened_at = 0;
  for (int answer = 1; answer <= 20 && opened_at == 0; ++answer) {
    Signal signal = answer % 2 == 1 ? Signal::kFailure : Signal::kSuccess;
    if (breaker.OnAnswer(signal, kStart) == BreakerState::kOpen) opened_at = answer;
  }
  // The 9th answer is 5 failures of 9, under min_requests; the 11th is 6 of 11.
  EXPECT_EQ(opened_at, 11);
}

TEST(CircuitBreakerTest, OldAnswersLeaveTheWindow) {
  CircuitBreaker breaker(Options());
  for (int i = 0; i < 9; ++i) breaker.OnAnswer(i % 2 == 0 ? Signal::kFailure : Signal::kSuccess, kStart);
  // A window later those 9 no longer count: two more failures make 2 of 2, under min_requests.
  TimePoint later = kStart + seconds(11);
  breaker.OnAnswer(Signal::kSuccess, later);
  breaker.OnAnswer(Signal::kFailure, later);
  EXPECT_EQ(breaker.State(later), BreakerState::kClosed);
}

TEST(CircuitBreakerTest, ProbesOnceAfterTheCooldownAndClosesOnSuccess) {
  CircuitBreaker breaker(Options());
  for (int i = 0; i < 3; ++i) breaker.OnAnswer(Signal::kFailure, kStart);
  TimePoint before = kStart + seconds(5) - milliseconds(1);
  EXPECT_FALSE(breaker.Allows(before));
  TimePoint after = kStart + seconds(5);
  EXPECT_EQ(breaker.State(after), BreakerState::kHalfOpen);
  EXPECT_TRUE(breaker.Allows(after));
  breaker.OnSend(after);
  EXPECT_FALSE(breaker.Allows(after)) << "one probe at a time";
  EXPECT_EQ(breaker.OnAnswer(Signal::kSuccess, after + seconds(1)), BreakerState::kClosed);
  EXPECT_TRUE(breaker.Allows(after + seconds(1)));
  // Closed afresh: the earlier failures are forgotten.
  EXPECT_EQ(breaker.OnAnswer(Signal::kFailure, after + seconds(1)), std::nullopt);
}

TEST(CircuitBreakerTest, AFailedProbeOpensItForAnotherCooldown) {
  CircuitBreaker breaker(Options());
  for (int i = 0; i < 3; ++i) breaker.OnAnswer(Signal::kFailure, kStart);
  TimePoint probe = kStart + seconds(6);
  breaker.OnSend(probe);
  EXPECT_EQ(breaker.OnAnswer(Signal::kFailure, probe), BreakerState::kOpen);
  EXPECT_FALSE(breaker.Allows(probe + seconds(4)));
  EXPECT_TRUE(breaker.Allows(probe + seconds(5)));
}

TEST(CircuitBreakerTest, LateAnswersWhileOpenChangeNothing) {
  CircuitBreaker breaker(Options());
  for (int i = 0; i < 3; ++i) breaker.OnAnswer(Signal::kFailure, kStart);
  // Requests sent before it opened come back: neither a success nor a failure moves it.
  EXPECT_EQ(breaker.OnAnswer(Signal::kSuccess, kStart + seconds(1)), std::nullopt);
  EXPECT_EQ(breaker.OnAnswer(Signal::kFailure, kStart + seconds(1)), std::nullopt);
  EXPECT_EQ(breaker.ProbeAt(), kStart + seconds(5));
}

TEST(CircuitBreakerTest, ANeutralProbeLetsTheNextRequestProbe) {
  CircuitBreaker breaker(Options());
  for (int i = 0; i < 3; ++i) breaker.OnAnswer(Signal::kFailure, kStart);
  TimePoint probe = kStart + seconds(5);
  breaker.OnSend(probe);
  EXPECT_EQ(breaker.OnAnswer(Signal::kNeutral, probe), std::nullopt);
  EXPECT_TRUE(breaker.Allows(probe));
}

TEST(CircuitBreakerTest, NamesItsStates) {
  EXPECT_EQ(BreakerStateName(BreakerState::kClosed), "closed");
  EXPECT_EQ(BreakerStateName(BreakerState::kOpen), "open");
  EXPECT_EQ(BreakerStateName(BreakerState::kHalfOpen), "half-open");
}

}  // namespace
}  // namespace sluice::router
