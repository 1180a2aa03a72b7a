#include "ratelimit/deployment_limiter.h"

#include <gtest/gtest.h>

#include <map>

namespace sluice::ratelimit {
namespace {

using namespace std::chrono_literals;

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

Feedback Ok() { return {.status_code = 200}; }

// An OpenAI answer stating its budgets.
Feedback Answer(int status, std::optional<std::int64_t> limit_tokens,
                std::optional<std::int64_t> remaining_tokens) {
  Feedback feedback{.status_code = status};
  feedback.hint(Budget::kTokens) = {limit_tokens, remaining_tokens, std::nullopt};
  return feedback;
}

TEST(DeploymentLimiterTest, AdmitsWithinRpmThenWaitsForRefill) {
  TimePoint t0{};
  DeploymentLimiter limiter({.rpm = 60, .tpm = 1000000, .max_in_flight = 1000}, t0);
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(limiter.TryAdmit(10, t0)) << i;
  EXPECT_FALSE(limiter.TryAdmit(10, t0));
  TimePoint when = limiter.WhenAdmissible(10, t0);
  EXPECT_NEAR(Seconds(when - t0), 1.0, 1e-6);
  EXPECT_TRUE(limiter.TryAdmit(10, when));
}

TEST(DeploymentLimiterTest, TokensBindForLargeRequestsButSmallOnesStillFit) {
  TimePoint t0{};
  DeploymentLimiter limiter({.rpm = 1000, .tpm = 1000, .max_in_flight = 100}, t0);
  ASSERT_TRUE(limiter.TryAdmit(900, t0));
  EXPECT_FALSE(limiter.TryAdmit(500, t0));
  EXPECT_TRUE(limiter.TryAdmit(100, t0));  // no head-of-line blocking inside the limiter
  EXPECT_GT(limiter.WhenAdmissible(500, t0), t0);
}

TEST(DeploymentLimiterTest, InFlightCapHoldsUntilRelease) {
  TimePoint t0{};
  DeploymentLimiter limiter({.rpm = 100, .tpm = 100, .max_in_flight = 2}, t0);
  ASSERT_TRUE(limiter.TryAdmit(1, t0));
  ASSERT_TRUE(limiter.TryAdmit(1, t0));
  EXPECT_FALSE(limiter.HasFreeSlot());
  EXPECT_FALSE(limiter.TryAdmit(1, t0));
  limiter.Release();
  EXPECT_TRUE(limiter.TryAdmit(1, t0));
  EXPECT_EQ(limiter.in_flight(), 2);
}

TEST(DeploymentLimiterTest, OpenAiReservationIsNotRefundedByUsage) {
  TimePoint t0{};
  DeploymentLimiter limiter({.rpm = 100, .tpm = 1000}, t0);
  ASSERT_TRUE(limiter.TryAdmit({.prompt_tokens = 100, .max_output_tokens = 900}, t0));
  limiter.Release();
  Feedback answered = Ok();
  answered.has_usage = true;
  answered.input_tokens = 100;
  answered.output_tokens = 3;
  EXPECT_FALSE(limiter.Observe(answered, t0).has_value());
  EXPECT_NEAR(*limiter.Available(Budget::kTokens, t0), 0, 1e-6);
}

TEST(DeploymentLimiterTest, ProviderRemainingLowersOurLevelAllowingForRefill) {
  TimePoint t0{};
  DeploymentLimiter limiter({.rpm = 1000, .tpm = 60000}, t0);  // 1000 tokens a second
  ASSERT_TRUE(limiter.TryAdmit(1000, t0));
  ASSERT_TRUE(limiter.TryAdmit(2000, t0 + 100ms));
  limiter.Release();
  // Someone else spent on the same key: the provider had 30000 left after one of our requests
  // (at best the last), and has refilled for 200 ms since.
  (void)limiter.Observe(Answer(200, std::nullopt, 30000), t0 + 300ms);
  EXPECT_NEAR(*limiter.Available(Budget::kTokens, t0 + 300ms), 30200, 1);
}

TEST(DeploymentLimiterTest, AnAnswerOvertakenInABurstDoesNotCountTheBurstTwice) {
  TimePoint t0{};
  DeploymentLimiter limiter({.rpm = 1000, .tpm = 60000, .max_in_flight = 100}, t0);
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(limiter.TryAdmit(1000, t0));
  limiter.Release();
  // The first answer back is to the 40th request: the provider had 20000 left after it. Matched
  // to the first request, the 49 after it would be counted against those 20000.
  (void)limiter.Observe(Answer(200, std::nullopt, 20000), t0 + 300ms);
  EXPECT_NEAR(*limiter.Available(Budget::kTokens, t0 + 300ms), 10300, 1);  // ours: 10000 + 300
}

// Spends a whole minute's budget at t0 + 1 min, then one 1000-token request a second (the
// refill), each answered 300 ms later with `remaining` (nullopt: no header).
struct SteadyRun {
  TimePoint t0 = TimePoint(std::chrono::hours(1));
  DeploymentLimiter limiter{{.rpm = 100000, .tpm = 60000, .max_in_flight = 1000}, t0};

  TimePoint At(int second) const { return t0 + std::chrono::seconds(second); }

  void Burst() {
    for (int i = 0; i < 60; ++i) ASSERT_TRUE(limiter.TryAdmit(1000, t0));
    for (int i = 0; i < 60; ++i) {
      limiter.Release();
      (void)limiter.Observe(Ok(), t0 + 300ms);
    }
  }
  void Second(int second, std::optional<std::int64_t> remaining) {
    ASSERT_TRUE(limiter.TryAdmit(1000, At(second)));
    limiter.Release();
    (void)limiter.Observe(Answer(200, std::nullopt, remaining), At(second) + 300ms);
  }
};

TEST(DeploymentLimiterTest, ProviderRemainingRaisesOurLevelOnceTheBudgetHoldsUsBack) {
  SteadyRun run;
  run.Burst();
  for (int second = 1; second <= 5; ++second) run.Second(second, std::nullopt);
  EXPECT_NEAR(*run.limiter.Available(Budget::kTokens, run.At(5) + 300ms), 300, 1);
  // The provider counted less than we did: it has 30000 left after the request of second 6.
  run.Second(6, 30000);
  // 30000 + 300 ms of refill, less the noise margin (2 × the largest request).
  EXPECT_NEAR(*run.limiter.Available(Budget::kTokens, run.At(6) + 300ms), 30300 - 2000, 1);
}

TEST(DeploymentLimiterTest, ProviderRemainingRaisesOurLevelOnlyBeyondTheNoise) {
  SteadyRun run;
  run.Burst();
  for (int second = 1; second <= 5; ++second) run.Second(second, std::nullopt);
  // 2000 more than we think is within twice the noise margin (2 × 2000): nothing changes.
  run.Second(6, 2000);
  EXPECT_NEAR(*run.limiter.Available(Budget::kTokens, run.At(6) + 300ms), 300, 1);
}

TEST(DeploymentLimiterTest, ProviderRemainingDoesNotRaiseOurLevelDuringABurst) {
  SteadyRun run;
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(run.limiter.TryAdmit(1000, run.t0));
  for (int i = 0; i < 30; ++i) run.limiter.Release();
  for (int i = 0; i < 29; ++i) (void)run.limiter.Observe(Ok(), run.t0 + 300ms);
  // Answers overtake each other in a burst: matched to the last request, this may be the answer
  // to a much older one, sent when more was left.
  (void)run.limiter.Observe(Answer(200, std::nullopt, 50000), run.t0 + 300ms);
  EXPECT_NEAR(*run.limiter.Available(Budget::kTokens, run.t0 + 300ms), 30300, 1);
}

TEST(DeploymentLimiterTest, ATokens429EmptiesThatBucketUntilItsRetryAfter) {
  TimePoint t0{};
  DeploymentLimiter limiter({.rpm = 600, .tpm = 60000}, t0);
  ASSERT_TRUE(limiter.TryAdmit(100, t0));
  limiter.Release();
  Feedback limited{.status_code = 429, .exceeded = Budget::kTokens, .retry_after = 2s};
  limited.hint(Budget::kTokens) = {60000, 59900, 100ms};
  (void)limiter.Observe(limited, t0);
  EXPECT_NEAR(*limiter.Available(Budget::kTokens, t0), -2000, 1e-6);  // zero in 2 s
  EXPECT_NEAR(*limiter.Available(Budget::kRequests, t0), 599, 1e-6);  // untouched
  EXPECT_GE(limiter.WhenAdmissible(1, t0), t0 + 2s);
  EXPECT_EQ(limiter.concurrency_limit(), 64);  // explained by a budget: not an overload
}

TEST(DeploymentLimiterTest, A429TheHeadersExplainNeedsNoName) {
  TimePoint t0{};
  DeploymentLimiter limiter({.rpm = 600, .tpm = 60000}, t0);
  ASSERT_TRUE(limiter.TryAdmit(5000, t0));
  limiter.Release();
  Feedback limited = Answer(429, 60000, 1200);  // not enough for the 5000 asked
  limited.retry_after = 3s;
  (void)limiter.Observe(limited, t0);
  EXPECT_NEAR(*limiter.Available(Budget::kTokens, t0), -3000, 1e-6);
  EXPECT_EQ(limiter.concurrency_limit(), 64);
}

TEST(DeploymentLimiterTest, AnUnexplained429IsAnOverloadThatPausesAndNarrows) {
  TimePoint t0{};
  DeploymentLimiter limiter({.rpm = 600, .tpm = 100000, .max_in_flight = 16}, t0);
  ASSERT_TRUE(limiter.TryAdmit(1, t0));
  limiter.Release();
  Feedback overloaded{.status_code = 429, .retry_after = 2s};
  overloaded.hint(Budget::kTokens) = {100000, 99000, 600ms};
  (void)limiter.Observe(overloaded, t0);
  EXPECT_FALSE(limiter.TryAdmit(1, t0 + 1s));
  EXPECT_GE(limiter.WhenAdmissible(1, t0), t0 + 2s);
  EXPECT_TRUE(limiter.TryAdmit(1, t0 + 2s));
  EXPECT_EQ(limiter.concurrency_limit(), 8);
}

TEST(DeploymentLimiterTest, OverloadsAndTimeoutsNarrowTheWindowAndSuccessesWidenIt) {
  TimePoint t{};
  DeploymentLimiter limiter({.rpm = 100000, .tpm = 100000000, .max_in_flight = 8}, t);
  auto round = [&](Feedback feedback) {
    t += 1s;
    ASSERT_TRUE(limiter.TryAdmit(1, t));
    limiter.Release();
    (void)limiter.Observe(feedback, t);
  };
  for (int i = 0; i < 3; ++i) round({.status_code = 503});
  EXPECT_EQ(limiter.concurrency_limit(), 8);  // three could be noise
  round({.status_code = 503});
  EXPECT_EQ(limiter.concurrency_limit(), 4);  // four of the last 20: overload
  round({.status_code = 529});
  EXPECT_EQ(limiter.concurrency_limit(), 2);
  round({.status_code = 0, .timed_out = true});
  EXPECT_EQ(limiter.concurrency_limit(), 1);
  round({.status_code = 503});
  EXPECT_EQ(limiter.concurrency_limit(), 1);  // never below one
  round({.status_code = 500});                // a failure, not an overload
  round({.status_code = 0});                  // a reset connection
  EXPECT_EQ(limiter.concurrency_limit(), 1);
  for (int i = 0; i < 4; ++i) round(Ok());
  EXPECT_EQ(limiter.concurrency_limit(), 3);  // +1 per round trip after a decrease
}

TEST(DeploymentLimiterTest, AdoptsStatedLimitsAndSaysSoOncePerChange) {
  TimePoint t0{};
  DeploymentLimiter limiter({.name = "gpt-4o-mini#0", .rpm = 1000, .tpm = 400000}, t0);
  ASSERT_TRUE(limiter.TryAdmit(100, t0));
  limiter.Release();
  Feedback stated{.status_code = 200};
  stated.hint(Budget::kRequests) = {500, 499, 120ms};
  stated.hint(Budget::kTokens) = {200000, 199900, 30ms};
  auto news = limiter.Observe(stated, t0);
  ASSERT_TRUE(news.has_value());
  EXPECT_EQ(*news,
            "gpt-4o-mini#0: provider limits are 500 rpm, 200000 tpm (configured 1000 rpm, 400000 "
            "tpm)");
  EXPECT_EQ(limiter.limit(Budget::kRequests), 500);
  EXPECT_EQ(limiter.limit(Budget::kTokens), 200000);
  EXPECT_EQ(limiter.options().rpm, 500);  // options() follow what is learned
  EXPECT_EQ(limiter.options().tpm, 200000);
  EXPECT_NEAR(*limiter.Available(Budget::kTokens, t0), 199900, 1);
  ASSERT_TRUE(limiter.TryAdmit(100, t0));
  limiter.Release();
  EXPECT_FALSE(limiter.Observe(stated, t0).has_value());
}

TEST(DeploymentLimiterTest, ConfirmedLimitsAreNotNews) {
  TimePoint t0{};
  DeploymentLimiter limiter({.name = "m#0", .rpm = 500, .tpm = 200000}, t0);
  ASSERT_TRUE(limiter.TryAdmit(100, t0));
  limiter.Release();
  Feedback stated{.status_code = 200};
  stated.hint(Budget::kRequests) = {500, 499, 120ms};
  stated.hint(Budget::kTokens) = {200000, 199900, 30ms};
  EXPECT_FALSE(limiter.Observe(stated, t0).has_value());
}

TEST(DeploymentLimiterTest, WithoutConfiguredLimitsItProbesThenLearnsFromHeaders) {
  TimePoint t0{};
  DeploymentLimiter limiter({.name = "m#0", .max_in_flight = 64}, t0);
  EXPECT_EQ(limiter.concurrency_limit(), DeploymentLimiter::kProbingStart);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(limiter.TryAdmit(1000000, t0));  // no buckets yet
  EXPECT_FALSE(limiter.TryAdmit(1, t0));                                   // but only a few at once
  limiter.Release();
  Feedback stated{.status_code = 200};
  stated.hint(Budget::kRequests) = {60, 56, 4s};
  stated.hint(Budget::kTokens) = {6000, 3000, 30s};
  auto news = limiter.Observe(stated, t0);
  ASSERT_TRUE(news.has_value());
  EXPECT_EQ(*news, "m#0: provider limits are 60 rpm, 6000 tpm (configured none)");
  // 3000 left after one of our requests (at best the last).
  EXPECT_NEAR(*limiter.Available(Budget::kTokens, t0), 3000, 1);
  EXPECT_GT(limiter.concurrency_limit(), DeploymentLimiter::kProbingStart);
}

TEST(DeploymentLimiterTest, InfersLimitsWhenTheProviderDoesNotStateThem) {
  TimePoint t0{};
  DeploymentLimiter limiter({.name = "m#0", .rpm = 1000, .tpm = 600000}, t0);
  std::optional<std::string> news;
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(limiter.TryAdmit(1000, t0));
    limiter.Release();
    // A provider of 300000 tpm: 1000 × i spent, full again in i × 200 ms.
    Feedback answer{.status_code = 200};
    answer.hint(Budget::kTokens) = {std::nullopt, 300000 - 1000 * i,
                                    std::chrono::milliseconds(200 * i)};
    if (auto line = limiter.Observe(answer, t0)) news = line;
  }
  ASSERT_TRUE(news.has_value());
  EXPECT_EQ(*news,
            "m#0: provider limits are 1000 rpm, ~300000 tpm (configured 1000 rpm, 600000 tpm)");
  EXPECT_EQ(limiter.limit(Budget::kTokens), 300000);
}

TEST(DeploymentLimiterTest, A429WithoutNumbersShrinksTheLimitOncePerRound) {
  TimePoint t0{};
  DeploymentLimiter limiter({.name = "m#0", .rpm = 1000, .tpm = 100000}, t0);
  ASSERT_TRUE(limiter.TryAdmit(100, t0));
  ASSERT_TRUE(limiter.TryAdmit(100, t0));
  limiter.Release();
  limiter.Release();
  Feedback limited{.status_code = 429, .exceeded = Budget::kTokens, .retry_after = 1s};
  auto news = limiter.Observe(limited, t0 + 10ms);
  ASSERT_TRUE(news.has_value());
  EXPECT_EQ(limiter.limit(Budget::kTokens), 80000);
  EXPECT_FALSE(limiter.Observe(limited, t0 + 20ms).has_value());  // the same round
  EXPECT_EQ(limiter.limit(Budget::kTokens), 80000);
}

TEST(DeploymentLimiterTest, AnthropicMetersInputAndOutputAndSettlesToUsage) {
  TimePoint t0{};
  DeploymentLimiter limiter({.name = "claude#0",
                             .accounting = Accounting::kAnthropic,
                             .rpm = 50,
                             .tpm = 0,
                             .input_tpm = 30000,
                             .output_tpm = 6000,
                             .max_in_flight = 8},
                            t0);
  EXPECT_EQ(limiter.limit(Budget::kTokens), 0);
  EXPECT_EQ(limiter.concurrency_limit(), 8);
  ASSERT_TRUE(limiter.TryAdmit({.prompt_tokens = 1000, .max_output_tokens = 4096}, t0));
  EXPECT_NEAR(*limiter.Available(Budget::kInputTokens, t0), 29000, 1e-6);
  EXPECT_NEAR(*limiter.Available(Budget::kOutputTokens, t0), 6000 - 256, 1e-6);  // expected
  limiter.Release();
  Feedback answered{
      .status_code = 200, .has_usage = true, .input_tokens = 1200, .output_tokens = 56};
  (void)limiter.Observe(answered, t0);
  EXPECT_NEAR(*limiter.Available(Budget::kInputTokens, t0), 28800, 1e-6);
  EXPECT_NEAR(*limiter.Available(Budget::kOutputTokens, t0), 6000 - 56, 1e-6);
  // The expected output moved towards what came back.
  ASSERT_TRUE(limiter.TryAdmit({.prompt_tokens = 1, .max_output_tokens = 4096}, t0));
  EXPECT_NEAR(*limiter.Available(Budget::kOutputTokens, t0), 6000 - 56 - 216, 1e-6);
}

TEST(DeploymentLimiterTest, AnthropicOutputBudgetBlocksWhenSpent) {
  TimePoint t0{};
  DeploymentLimiter limiter(
      {.accounting = Accounting::kAnthropic, .rpm = 1000, .input_tpm = 1000000, .output_tpm = 600},
      t0);
  ASSERT_TRUE(limiter.TryAdmit({.prompt_tokens = 10, .max_output_tokens = 500}, t0));
  ASSERT_TRUE(limiter.TryAdmit({.prompt_tokens = 10, .max_output_tokens = 300}, t0));
  EXPECT_FALSE(limiter.TryAdmit({.prompt_tokens = 10, .max_output_tokens = 300}, t0));
  limiter.Release();
  Feedback limited{.status_code = 429, .exceeded = Budget::kOutputTokens, .retry_after = 5s};
  (void)limiter.Observe(limited, t0);
  EXPECT_GE(limiter.WhenAdmissible({.prompt_tokens = 1, .max_output_tokens = 1}, t0), t0 + 5s);
}

// A provider as OpenAI behaves: one bucket of `tpm` per minute charged at arrival, a 429 charging
// nothing, every answer `latency` later with the remaining budget (and the limit when `states`).
class SimulatedProvider {
 public:
  SimulatedProvider(double tpm, bool states, TimePoint t0)
      : bucket_(tpm, 60s, t0), states_(states) {}

  Feedback Answer(double cost, TimePoint at) {
    Feedback feedback{.status_code = 200};
    if (!bucket_.TryTake(cost, at)) {
      feedback.status_code = 429;
      feedback.exceeded = Budget::kTokens;
      double missing = cost - bucket_.Available(at);
      feedback.retry_after = std::chrono::duration_cast<Duration>(
          std::chrono::duration<double>(missing / (bucket_.capacity() / 60)));
    }
    double left = bucket_.Available(at);
    auto reset = std::chrono::ceil<std::chrono::milliseconds>(
        std::chrono::duration<double>((bucket_.capacity() - left) / (bucket_.capacity() / 60)));
    feedback.hint(Budget::kTokens) = {
        states_ ? std::optional<std::int64_t>(static_cast<std::int64_t>(bucket_.capacity()))
                : std::nullopt,
        static_cast<std::int64_t>(std::max(0.0, left)), reset};
    return feedback;
  }

 private:
  TokenBucket bucket_;
  bool states_;
};

struct SimulationResult {
  int sent = 0;
  int rate_limited = 0;
  double tokens_in_last_30s = 0;  // as the provider counted them
};

struct Simulation {
  double real_tpm = 300000;
  std::int64_t configured_tpm = 300000;
  bool states = true;           // the provider states its limit
  double jitter = 0.3;          // latency 300 ms ± this share
  double provider_share = 1;    // what the provider counts of our estimate
  double request_tokens = 150;  // every request's estimate
  int max_in_flight = 64;
};

// 40 simulated seconds; answers come back in the order they arrive.
SimulationResult Simulate(const Simulation& sim) {
  TimePoint t0{};
  SimulatedProvider provider(sim.real_tpm, sim.states, t0);
  DeploymentLimiter limiter({.name = "sim#0",
                             .rpm = 1000000,
                             .tpm = sim.configured_tpm,
                             .max_in_flight = sim.max_in_flight},
                            t0);
  std::multimap<TimePoint, Feedback> in_flight;  // by when the answer arrives
  std::uint64_t draw = 12345;
  SimulationResult result;
  double counted = sim.request_tokens * sim.provider_share;
  for (TimePoint t = t0; t < t0 + 40s; t += 5ms) {
    while (!in_flight.empty() && in_flight.begin()->first <= t) {
      limiter.Release();
      (void)limiter.Observe(in_flight.begin()->second, t);
      in_flight.erase(in_flight.begin());
    }
    while (limiter.TryAdmit(static_cast<std::int64_t>(sim.request_tokens), t)) {
      Feedback feedback = provider.Answer(counted, t);
      ++result.sent;
      if (feedback.status_code == 429) ++result.rate_limited;
      if (feedback.status_code == 200 && t >= t0 + 10s) result.tokens_in_last_30s += counted;
      draw = draw * 6364136223846793005u + 1442695040888963407u;
      double uniform = static_cast<double>(draw >> 11) / static_cast<double>(1ull << 53);
      auto latency =
          std::chrono::duration_cast<Duration>(300ms * (1 + sim.jitter * (2 * uniform - 1)));
      in_flight.emplace(t + latency, feedback);
    }
  }
  return result;
}

// At least 97 % of what the provider allows in the last 30 s, and at most `share` 429s.
void ExpectNearTheProvidersRate(const Simulation& sim, double share) {
  SimulationResult r = Simulate(sim);
  EXPECT_LE(r.rate_limited, r.sent * share) << r.rate_limited << " of " << r.sent;
  EXPECT_GE(r.tokens_in_last_30s, 0.97 * sim.real_tpm / 2);
}

TEST(DeploymentLimiterTest, KeepsAtTheProvidersRateWhenAnswersOvertakeEachOther) {
  ExpectNearTheProvidersRate({}, 0.005);
}

TEST(DeploymentLimiterTest, DoesNotStallAfterABurstOfLargeRequests) {
  ExpectNearTheProvidersRate({.real_tpm = 2000000,
                              .configured_tpm = 2000000,
                              .states = true,
                              .jitter = 0.3,
                              .provider_share = 1,
                              .request_tokens = 10000,
                              .max_in_flight = 256},
                             0.005);
}

TEST(DeploymentLimiterTest, KeepsUpWithAProviderThatCountsLessThanOurEstimates) {
  Simulation sim;
  sim.provider_share = 0.8;
  ExpectNearTheProvidersRate(sim, 0.005);
}

TEST(DeploymentLimiterTest, ConvergesOnATooHighConfiguredLimitTheProviderStates) {
  Simulation sim;
  sim.configured_tpm = 600000;
  ExpectNearTheProvidersRate(sim, 0.01);
}

TEST(DeploymentLimiterTest, ConvergesOnATooHighConfiguredLimitItMustInfer) {
  Simulation sim;
  sim.configured_tpm = 600000;
  sim.states = false;
  ExpectNearTheProvidersRate(sim, 0.02);
}

TEST(DeploymentLimiterTest, ConvergesOnATooLowConfiguredLimitItMustInfer) {
  Simulation sim;
  sim.configured_tpm = 100000;
  sim.states = false;
  ExpectNearTheProvidersRate(sim, 0.005);
}

TEST(DeploymentLimiterTest, LearnsLimitsNeverConfigured) {
  Simulation sim;
  sim.configured_tpm = 0;
  sim.states = false;
  ExpectNearTheProvidersRate(sim, 0.02);
}

}  // namespace
}  // namespace sluice::ratelimit
