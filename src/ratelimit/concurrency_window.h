// ConcurrencyWindow: how many requests one deployment may have in flight, adapted the way TCP
// adapts its congestion window. Each success widens it — by one while below the slow-start
// threshold (doubling per round trip), by 1/window after — and overload halves it, at most once
// per round trip: signals from requests admitted before the last decrease do not count again.
// A refusal (a 429 no budget explains) halves it at once. An overload signal (503, 529, a
// timeout) halves it only when at least kOverloadsToShrink of the last kRecentOutcomes answers
// were such signals: random, sparse 5xx (a provider's background error rate, which sending less
// would not reduce) are retried without throttling every other request, while overload that
// persists narrows the window as before. Always within [1, ceiling]. Pure; thread-compatible.
#pragma once

#include <array>
#include <cstddef>

#include "common/clock.h"

namespace sluice::ratelimit {

class ConcurrencyWindow {
 public:
  static constexpr std::size_t kRecentOutcomes = 20;
  static constexpr int kOverloadsToShrink = 4;

  // `start` is clamped to [1, ceiling]; `ceiling` to at least 1.
  ConcurrencyWindow(int ceiling, int start);

  // Requests that may be in flight now.
  int limit() const;

  void OnSuccess();

  // An overload signal (5xx overload, timeout) for a request admitted at `admitted_at`,
  // observed at `now`.
  void OnOverload(TimePoint admitted_at, TimePoint now);
  // A refusal to take more (a 429 that no budget explains).
  void OnRefused(TimePoint admitted_at, TimePoint now);

 private:
  void Record(bool overload);
  void Decrease(TimePoint admitted_at, TimePoint now);

  double ceiling_;
  double window_;
  double slow_start_threshold_;
  TimePoint last_decrease_{TimePoint::min()};
  std::array<bool, kRecentOutcomes> recent_{};  // a ring of the last outcomes: overload or not
  std::size_t next_ = 0;
  int recent_overloads_ = 0;
};

}  // namespace sluice::ratelimit
