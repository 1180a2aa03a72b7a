// ConcurrencyWindow: how many requests one deployment may have in flight, adapted the way TCP
// adapts its congestion window. Each success widens it — by one while below the slow-start
// threshold (doubling per round trip), by 1/window after — and an overload signal (a 429 no
// budget explains, a 503 or 529, a timeout) halves it, at most once per round trip: signals
// from requests admitted before the last decrease do not count again. Always within
// [1, ceiling]. Pure; thread-compatible.
#pragma once

#include "common/clock.h"

namespace sluice::ratelimit {

class ConcurrencyWindow {
 public:
  // `start` is clamped to [1, ceiling]; `ceiling` to at least 1.
  ConcurrencyWindow(int ceiling, int start);

  // Requests that may be in flight now.
  int limit() const;

  void OnSuccess();

  // An overload signal for a request admitted at `admitted_at`, observed at `now`.
  void OnOverload(TimePoint admitted_at, TimePoint now);

 private:
  double ceiling_;
  double window_;
  double slow_start_threshold_;
  TimePoint last_decrease_{TimePoint::min()};
};

}  // namespace sluice::ratelimit
