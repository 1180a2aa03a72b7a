#include "ratelimit/concurrency_window.h"

#include <algorithm>
#include <cmath>

namespace sluice::ratelimit {

ConcurrencyWindow::ConcurrencyWindow(int ceiling, int start)
    : ceiling_(std::max(1, ceiling)),
      window_(std::clamp(static_cast<double>(start), 1.0, ceiling_)),
      slow_start_threshold_(ceiling_) {}

int ConcurrencyWindow::limit() const { return static_cast<int>(std::floor(window_)); }

void ConcurrencyWindow::Record(bool overload) {
  recent_overloads_ += static_cast<int>(overload) - static_cast<int>(recent_[next_]);
  recent_[next_] = overload;
  next_ = (next_ + 1) % kRecentOutcomes;
}

void ConcurrencyWindow::OnSuccess() {
  Record(false);
  double step = window_ < slow_start_threshold_ ? 1.0 : 1.0 / window_;
  window_ = std::min(ceiling_, window_ + step);
}

void ConcurrencyWindow::OnOverload(TimePoint admitted_at, TimePoint now) {
  Record(true);
  if (recent_overloads_ >= kOverloadsToShrink) Decrease(admitted_at, now);  // else noise so far
}

void ConcurrencyWindow::OnRefused(TimePoint admitted_at, TimePoint now) {
  Record(true);
  Decrease(admitted_at, now);
}

void ConcurrencyWindow::Decrease(TimePoint admitted_at, TimePoint now) {
  if (admitted_at < last_decrease_) return;  // sent under the window already reduced
  window_ = std::max(1.0, std::floor(window_ / 2));
  slow_start_threshold_ = window_;
  last_decrease_ = now;
}

}  // namespace sluice::ratelimit
