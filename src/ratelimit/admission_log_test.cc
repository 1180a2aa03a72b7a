#include "ratelimit/admission_log.h"

#include <gtest/gtest.h>

namespace sluice::ratelimit {
namespace {

using namespace std::chrono_literals;

Amounts Tokens(double tokens) { return {1, tokens, 0, 0}; }

TEST(AdmissionLogTest, AnswersTakeTheOldestAndSeeWhatWasChargedSince) {
  TimePoint t0{};
  AdmissionLog log;
  log.Record(t0, Tokens(100));
  log.Record(t0 + 1s, Tokens(20));
  log.Record(t0 + 2s, Tokens(3));
  AdmissionLog::Entry first = log.TakeOldestOr(t0 + 5s);
  EXPECT_EQ(first.at, t0);
  EXPECT_EQ(first.charged[Index(Budget::kTokens)], 100);
  Amounts since = log.ChargedSince(first);
  EXPECT_EQ(since[Index(Budget::kRequests)], 2);
  EXPECT_EQ(since[Index(Budget::kTokens)], 23);
  EXPECT_EQ(log.size(), 2u);
}

TEST(AdmissionLogTest, AnEmptyLogGivesAnEntryOfNowWithNothingSince) {
  TimePoint t0{};
  AdmissionLog log;
  log.Record(t0, Tokens(7));
  (void)log.TakeOldestOr(t0);
  AdmissionLog::Entry none = log.TakeOldestOr(t0 + 3s);
  EXPECT_EQ(none.at, t0 + 3s);
  EXPECT_EQ(none.charged[Index(Budget::kTokens)], 0);
  EXPECT_EQ(log.ChargedSince(none)[Index(Budget::kTokens)], 0);
}

TEST(AdmissionLogTest, KeepAtMostDropsTheOldest) {
  TimePoint t0{};
  AdmissionLog log;
  for (int i = 0; i < 5; ++i) log.Record(t0 + std::chrono::seconds(i), Tokens(1));
  log.KeepAtMost(2);
  EXPECT_EQ(log.size(), 2u);
  EXPECT_EQ(log.TakeOldestOr(t0).at, t0 + 3s);
}

}  // namespace
}  // namespace sluice::ratelimit
