#include "ratelimit/limit_estimate.h"

#include <algorithm>
#include <cmath>

namespace sluice::ratelimit {
namespace {

constexpr std::int64_t kMinRemaining = 10;  // below this, whole-unit rounding distorts the sample
constexpr Duration kMinUntilEmpty = std::chrono::seconds(2);  // reset's rounding, relatively small
constexpr double kChangeThreshold = 0.02;
constexpr std::size_t kMinSamples = 3;
constexpr double kShrinkFactor = 0.8;

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

LimitEstimate::LimitEstimate(std::int64_t configured)
    : configured_(std::max<std::int64_t>(configured, 0)),
      value_(configured_),
      source_(configured_ > 0 ? LimitSource::kConfigured : LimitSource::kUnknown) {}

bool LimitEstimate::Adopt(std::int64_t value, LimitSource source) {
  bool changed = value != value_;
  value_ = value;
  source_ = source;
  sample_count_ = 0;
  return changed;
}

bool LimitEstimate::Observe(const BudgetHint& hint, Duration window) {
  if (hint.limit && *hint.limit > 0) {
    if (source_ == LimitSource::kStated && *hint.limit == value_) return false;
    return Adopt(*hint.limit, LimitSource::kStated);
  }
  if (source_ == LimitSource::kStated || !hint.remaining || !hint.reset) return false;
  if (*hint.remaining < kMinRemaining || *hint.reset < Duration::zero() ||
      *hint.reset > window - kMinUntilEmpty) {
    return false;
  }
  double full_share = 1.0 - Seconds(*hint.reset) / Seconds(window);
  samples_[sample_count_ % kSamples] = static_cast<double>(*hint.remaining) / full_share;
  ++sample_count_;
  if (sample_count_ < kMinSamples) return false;
  std::size_t n = std::min(sample_count_, kSamples);
  std::array<double, kSamples> sorted = samples_;
  std::sort(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(n));
  double median = sorted[n / 2];
  if (value_ > 0 && std::abs(median - static_cast<double>(value_)) <=
                        kChangeThreshold * static_cast<double>(value_)) {
    return false;
  }
  return Adopt(std::llround(median), LimitSource::kInferred);
}

bool LimitEstimate::Shrink() {
  if (source_ == LimitSource::kStated || value_ <= 0) return false;
  auto smaller = std::max<std::int64_t>(
      1, static_cast<std::int64_t>(std::floor(static_cast<double>(value_) * kShrinkFactor)));
  return Adopt(smaller, LimitSource::kInferred);
}

}  // namespace sluice::ratelimit
