#include "ratelimit/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace sluice::ratelimit {
namespace {

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

TokenBucket::TokenBucket(double capacity, Duration window, TimePoint now)
    : capacity_(capacity), window_(window), level_(capacity), updated_(now) {}

void TokenBucket::Refill(TimePoint now) {
  if (now <= updated_) return;
  double rate = capacity_ / Seconds(window_);
  level_ = std::min(capacity_, level_ + rate * Seconds(now - updated_));
  updated_ = now;
}

double TokenBucket::Available(TimePoint now) const {
  TokenBucket copy = *this;
  copy.Refill(now);
  return copy.level_;
}

TimePoint TokenBucket::WhenAvailable(double cost, TimePoint now) const {
  double missing = EffectiveCost(cost) - Available(now);
  if (missing <= 0) return now;
  double seconds = missing * Seconds(window_) / capacity_;
  auto wait = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds));
  return now + wait + Duration(1);  // round up: at `now + wait` it may still be short by a hair
}

bool TokenBucket::TryTake(double cost, TimePoint now) {
  Refill(now);
  if (level_ < EffectiveCost(cost)) return false;
  level_ -= cost;
  return true;
}

void TokenBucket::Adjust(double delta, TimePoint now) {
  Refill(now);
  level_ = std::min(capacity_, level_ + delta);
}

void TokenBucket::SetAvailable(double level, TimePoint now) {
  Refill(now);
  level_ = std::min(capacity_, level);
}

void TokenBucket::SetCapacity(double capacity, TimePoint now) {
  Refill(now);
  capacity_ = capacity;
  level_ = std::min(level_, capacity_);
}

}  // namespace sluice::ratelimit
