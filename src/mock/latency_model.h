// LatencyModel: the mock's simulated model latency — time to first byte plus time per output
// token, each scaled by a seeded random factor in [1 - jitter, 1 + jitter].
// Thread-compatible (one owner).
#pragma once

#include <cstdint>

#include "common/clock.h"
#include "common/random.h"

namespace sluice::mock {

class LatencyModel {
 public:
  LatencyModel(Duration time_to_first_byte, Duration time_per_output_token, double jitter,
               std::uint64_t seed)
      : ttfb_(time_to_first_byte),
        per_token_(time_per_output_token),
        jitter_(jitter),
        random_(seed) {}

  // Time before the response head.
  Duration FirstByte() { return Jittered(ttfb_); }
  // Time to generate `tokens` output tokens.
  Duration Tokens(std::int64_t tokens) { return Jittered(per_token_ * tokens); }

 private:
  Duration Jittered(Duration d) {
    if (d <= Duration::zero()) return Duration::zero();
    if (jitter_ <= 0) return d;
    double factor = 1.0 + jitter_ * (2.0 * random_.Uniform() - 1.0);
    return std::chrono::duration_cast<Duration>(d * factor);
  }

  Duration ttfb_;
  Duration per_token_;
  double jitter_;
  Random random_;
};

}  // namespace sluice::mock
