#include "retry/retry_policy.h"

#include <algorithm>

namespace sluice::retry {

Duration RetryPolicy::Backoff(int attempts_made, Random& random) const {
  // base * 2^(n-1), capped; computed in steps so large n cannot overflow.
  Duration ceiling = options_.base_delay;
  for (int i = 1; i < attempts_made && ceiling < options_.max_delay; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, options_.max_delay);
  return Duration(random.UniformInt(0, ceiling.count()));
}

std::optional<TimePoint> RetryPolicy::NextAttempt(int attempts_made, std::optional<Duration> hint,
                                                  TimePoint now, Random& random) const {
  if (attempts_made >= options_.max_attempts) return std::nullopt;
  Duration wait = Backoff(attempts_made, random);
  if (hint) wait = std::max(wait, std::clamp(*hint, Duration::zero(), options_.max_hint));
  return now + wait;
}

}  // namespace sluice::retry
