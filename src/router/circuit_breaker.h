// CircuitBreaker: whether one deployment is healthy enough to receive requests. Closed, it lets
// every request through and counts failures (timeouts, resets, refused connections, 5xx, 529);
// it opens after `consecutive_failures` failures in a row, or when at least `min_requests`
// answers within the last `window` failed `failure_ratio` or more of the time. Open, it lets
// nothing through until `cooldown` has passed; then it is half-open and lets exactly one request
// through (the probe): a success closes it, a failure opens it for another cooldown.
// Pure: every call takes `now`; owned with its deployment's limiter by the planner.
// Thread-compatible.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "common/clock.h"

namespace sluice::router {

struct BreakerOptions {
  int consecutive_failures = 5;  // failures in a row that open it (>= 1)
  double failure_ratio = 0.5;    // the share of failures over `window` that opens it (0..1]
  int min_requests = 20;         // answers within `window` before the ratio counts (>= 1)
  Duration window = std::chrono::seconds(30);
  Duration cooldown = std::chrono::seconds(5);  // open, before the probe
};

enum class BreakerState { kClosed, kOpen, kHalfOpen };

// "closed", "open", "half-open".
std::string_view BreakerStateName(BreakerState state);

// What an answer tells the breaker: the deployment failed, or it answered (any answer that is
// not a failure, a 429 or a 400 included); kNeutral tells nothing (the caller gave up).
enum class Signal { kSuccess, kFailure, kNeutral };

class CircuitBreaker {
 public:
  explicit CircuitBreaker(BreakerOptions options);

  // The state at `now`: an open breaker whose cooldown has passed is half-open.
  BreakerState State(TimePoint now) const;
  // Whether a request may be sent now: closed, or half-open with no probe out.
  bool Allows(TimePoint now) const;
  // A request was sent (after Allows): in half-open, it is the probe.
  void OnSend(TimePoint now);
  // The answer to a request sent earlier. Returns the new state when it changed.
  std::optional<BreakerState> OnAnswer(Signal signal, TimePoint now);
  // While open: when the probe may go (the end of the cooldown).
  std::optional<TimePoint> ProbeAt() const;

  const BreakerOptions& options() const { return options_; }

 private:
  static constexpr std::size_t kSlots = 10;  // the window in tenths
  struct Slot {
    std::int64_t start = -1;  // the slot's index since the epoch, in tenths of the window
    int answers = 0;
    int failures = 0;
  };
  std::int64_t SlotIndex(TimePoint now) const;
  void Count(bool failed, TimePoint now);
  bool RatioExceeded(TimePoint now) const;
  void Open(TimePoint now);
  void Close();

  BreakerOptions options_;
  bool open_ = false;
  TimePoint open_until_{};
  bool probe_out_ = false;
  int consecutive_ = 0;
  std::array<Slot, kSlots> slots_{};
};

}  // namespace sluice::router
