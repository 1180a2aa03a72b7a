// Random: a seeded source of randomness, passed in wherever a decision is random (jitter, fault
// injection) so that a test or a benchmark replays the same choices from the same seed.
// Thread-compatible: one owner, or external locking.
#pragma once

#include <cstdint>
#include <random>

namespace sluice {

class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1).
  double Uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(engine_); }
  // Uniform in [lo, hi].
  std::int64_t UniformInt(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(engine_);
  }
  // True with probability p (p <= 0 never, p >= 1 always).
  bool Bernoulli(double p) { return p > 0 && (p >= 1 || Uniform() < p); }
  std::uint64_t Next() { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace sluice
