// LatencyEwma: one deployment's answer time as an exponentially weighted moving average (each
// new answer weighs `alpha`), and how many answers it has seen. Pure; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>

#include "common/clock.h"

namespace sluice::router {

class LatencyEwma {
 public:
  explicit LatencyEwma(double alpha = 0.2) : alpha_(alpha) {}

  void Add(Duration latency) {
    double x = static_cast<double>(latency.count());
    mean_ = count_ == 0 ? x : alpha_ * x + (1 - alpha_) * mean_;
    ++count_;
  }
  // Unset until the first answer.
  std::optional<Duration> mean() const {
    if (count_ == 0) return std::nullopt;
    return Duration(static_cast<Duration::rep>(mean_));
  }
  std::int64_t count() const { return count_; }

 private:
  double alpha_;
  double mean_ = 0;
  std::int64_t count_ = 0;
};

}  // namespace sluice::router
