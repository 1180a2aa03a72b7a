#include "router/circuit_breaker.h"

#include <algorithm>

namespace sluice::router {

std::string_view BreakerStateName(BreakerState state) {
  switch (state) {
    case BreakerState::kClosed:
      return "closed";
    case BreakerState::kOpen:
      return "open";
    case BreakerState::kHalfOpen:
      return "half-open";
  }
  return "closed";
}

CircuitBreaker::CircuitBreaker(BreakerOptions options) : options_(options) {
  options_.consecutive_failures = std::max(1, options_.consecutive_failures);
  options_.min_requests = std::max(1, options_.min_requests);
  options_.window = std::max<Duration>(options_.window, std::chrono::milliseconds(10));
}

BreakerState CircuitBreaker::State(TimePoint now) const {
  if (!open_) return BreakerState::kClosed;
  return now >= open_until_ ? BreakerState::kHalfOpen : BreakerState::kOpen;
}

bool CircuitBreaker::Allows(TimePoint now) const {
  switch (State(now)) {
    case BreakerState::kClosed:
      return true;
    case BreakerState::kHalfOpen:
      return !probe_out_;
    case BreakerState::kOpen:
      break;
  }
  return false;
}

void CircuitBreaker::OnSend(TimePoint now) {
  if (State(now) == BreakerState::kHalfOpen) probe_out_ = true;
}

std::optional<BreakerState> CircuitBreaker::OnAnswer(Signal signal, TimePoint now) {
  if (signal == Signal::kNeutral) {
    probe_out_ = false;  // a probe that told nothing: the next request probes
    return std::nullopt;
  }
  bool failed = signal == Signal::kFailure;
  if (open_) {
    // Answers to requests sent before it opened tell nothing new; only the probe decides.
    if (!probe_out_) return std::nullopt;
    probe_out_ = false;
    if (failed) {
      Open(now);
      return BreakerState::kOpen;
    }
    Close();
    return BreakerState::kClosed;
  }
  Count(failed, now);
  consecutive_ = failed ? consecutive_ + 1 : 0;
  if (!failed) return std::nullopt;
  if (consecutive_ >= options_.consecutive_failures || RatioExceeded(now)) {
    Open(now);
    return BreakerState::kOpen;
  }
  return std::nullopt;
}

std::optional<TimePoint> CircuitBreaker::ProbeAt() const {
  if (!open_) return std::nullopt;
  return open_until_;
}

std::int64_t CircuitBreaker::SlotIndex(TimePoint now) const {
  Duration slot = options_.window / static_cast<int>(kSlots);
  return now.time_since_epoch() / std::max<Duration>(slot, Duration(1));
}

void CircuitBreaker::Count(bool failed, TimePoint now) {
  std::int64_t index = SlotIndex(now);
  Slot& slot = slots_[static_cast<std::size_t>(index % static_cast<std::int64_t>(kSlots))];
  if (slot.start != index) slot = Slot{index, 0, 0};
  ++slot.answers;
  slot.failures += failed ? 1 : 0;
}

bool CircuitBreaker::RatioExceeded(TimePoint now) const {
  std::int64_t newest = SlotIndex(now);
  int answers = 0;
  int failures = 0;
  for (const Slot& slot : slots_) {
    if (slot.start < 0 || newest - slot.start >= static_cast<std::int64_t>(kSlots)) continue;
    answers += slot.answers;
    failures += slot.failures;
  }
  if (answers < options_.min_requests) return false;
  return static_cast<double>(failures) >= options_.failure_ratio * static_cast<double>(answers);
}

void CircuitBreaker::Open(TimePoint now) {
  open_ = true;
  open_until_ = now + options_.cooldown;
  probe_out_ = false;
}

void CircuitBreaker::Close() {
  open_ = false;
  probe_out_ = false;
  consecutive_ = 0;
  slots_ = {};
}

}  // namespace sluice::router
